// Which command names the model runs, and the tool behind each.
import type { Tool } from './tool.ts';

const tools = new Map<string, Tool>();

export function registerTool(name: string, tool: Tool): void {
  tools.set(name, tool);
}

export function findTool(name: string): Tool | undefined {
  return tools.get(name);
}

export function toolNames(): string[] {
  return [...tools.keys()].sort();
}

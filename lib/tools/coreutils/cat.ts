// `cat FILE...` for the model's virtual files (/proc/net/bonding/<bond>, ...).
import { registerTool } from '../registry.ts';
import { eprint, print, UnsupportedError, type ToolContext } from '../tool.ts';
import { readVirtualFile } from '../procfs/files.ts';

export function cat(argv: string[], ctx: ToolContext): number {
  const files = argv.slice(1);
  if (files.length === 0 || files.some((f) => f.startsWith('-') && f !== '-')) {
    throw new UnsupportedError('cat: only `cat FILE...` of the model\'s virtual files is modelled', argv.join(' '));
  }
  let status = 0;
  for (const f of files) {
    const text = readVirtualFile(f, ctx.ns);
    if (text === undefined) {
      // The reference machine's cat is BusyBox's (the VM guest has no coreutils).
      eprint(ctx, `cat: can't open '${f}': No such file or directory\n`);
      status = 1;
    } else {
      print(ctx, text);
    }
  }
  return status;
}

registerTool('cat', cat);

#!/usr/bin/env node
// Entry point for `npx netatlas`. npx and npm scripts put node_modules/.bin first on PATH,
// so `node` here is the project's Node 22, which runs the TypeScript sources directly.
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  console.error(`netatlas needs Node >= 22 (this is ${process.version}); run it as \`npx netatlas\` after \`npm ci\`.`);
  process.exit(1);
}
await import('../lib/cli/main.ts');

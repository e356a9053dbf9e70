// npm puts node_modules/.bin first on PATH, so `npm test` runs on the Node 22 that the
// `node` devDependency brings. Fail early and clearly if that did not happen.
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  console.error(
    `netatlas needs Node >= 22 (running ${process.version}). Run \`npm ci\` so the project's own Node 22 ` +
      '(devDependency "node") is installed, then use `npm test` / `npm run ...`, which put it first on PATH.',
  );
  process.exit(1);
}

// npm run doctest [-- --update]: every command output shown on the site, checked against the model.
import { runCli } from '../lib/doctest/cli.ts';

const result = await runCli(process.argv.slice(2), process.env);
process.stdout.write(result.output.endsWith('\n') ? result.output : result.output + '\n');
process.exitCode = result.code;

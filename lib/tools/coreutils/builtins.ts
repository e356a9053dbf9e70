// The few shell utilities reference scripts use besides the network tools.
import { registerTool } from '../registry.ts';
import { print } from '../tool.ts';

registerTool('echo', (argv, ctx) => {
  let args = argv.slice(1);
  let newline = true;
  if (args[0] === '-n') {
    newline = false;
    args = args.slice(1);
  }
  print(ctx, args.join(' ') + (newline ? '\n' : ''));
  return 0;
});
registerTool('true', () => 0);
registerTool(':', () => 0);
registerTool('false', () => 1);
// Time does not pass in the model: settling (DAD, ARP) is already done when a show runs.
registerTool('sleep', () => 0);

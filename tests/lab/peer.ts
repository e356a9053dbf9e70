// A tiny TCP/UDP echo peer for the lab's traffic checks, run with the project's Node inside a
// namespace (`ip netns exec NS node tests/lab/peer.ts ...`):
//   serve PORT              TCP and UDP echo on PORT; prints "listening", then for each
//                           exchange "tcp from A:P" / "udp from A:P" (the source it saw)
//   tcp HOST PORT TEXT      connects, sends TEXT, prints the echo and the local address used
//   udp HOST PORT TEXT      the same over UDP
import { createSocket } from 'node:dgram';
import { createConnection, createServer } from 'node:net';

const [mode, a, b, text] = process.argv.slice(2);
const fail = (msg: string): never => {
  process.stderr.write(`peer: ${msg}\n`);
  process.exit(1);
};
const timer = setTimeout(() => fail('timed out'), Number(process.env.PEER_TIMEOUT_MS ?? 5000));

if (mode === 'serve') {
  clearTimeout(timer);
  const port = Number(a);
  const tcp = createServer((sock) => {
    process.stdout.write(`tcp from ${sock.remoteAddress}:${sock.remotePort}\n`);
    sock.on('data', (d) => sock.end(d));
    sock.on('error', () => undefined);
  });
  const udp = createSocket('udp4');
  udp.on('message', (msg, rinfo) => {
    process.stdout.write(`udp from ${rinfo.address}:${rinfo.port}\n`);
    udp.send(msg, rinfo.port, rinfo.address);
  });
  let ready = 0;
  const up = () => {
    if (++ready === 2) process.stdout.write('listening\n');
  };
  tcp.listen(port, '0.0.0.0', up);
  udp.bind(port, '0.0.0.0', up);
} else if (mode === 'tcp') {
  const sock = createConnection({ host: a!, port: Number(b) }, () => sock.write(text ?? 'hello'));
  let got = '';
  sock.on('data', (d) => (got += d.toString()));
  sock.on('end', () => {
    process.stdout.write(`echo ${got} local ${sock.localAddress}\n`);
    clearTimeout(timer);
  });
  sock.on('error', (e) => fail(e.message));
} else if (mode === 'udp') {
  const sock = createSocket('udp4');
  sock.on('message', (msg) => {
    process.stdout.write(`echo ${msg.toString()} local ${sock.address().address}\n`);
    clearTimeout(timer);
    sock.close();
  });
  sock.on('error', (e) => fail(e.message));
  sock.send(text ?? 'hello', Number(b), a!);
} else {
  fail('usage: peer.ts serve PORT | tcp HOST PORT TEXT | udp HOST PORT TEXT');
}

// The bench's node target: answers every request `200 ok` on 127.0.0.1 with keep-alive, prints
// its port, and exits by itself after the lifetime given in seconds (argv[2]) at the latest.
// With `server-timing` (argv[3]) every response also carries a Server-Timing header of three
// components, as an instrumented service sends, so the engine's parsing of it can be timed.
import { createServer } from 'node:http';

const lifetimeS = Number(process.argv[2]);
if (!Number.isInteger(lifetimeS) || lifetimeS <= 0) {
  process.stderr.write('usage: node target-server.mjs LIFETIME_SECONDS\n');
  process.exit(2);
}

const body = Buffer.from('ok');
const headers = { 'content-type': 'text/plain', 'content-length': body.length };
if (process.argv[3] === 'server-timing') headers['server-timing'] = 'db;dur=1.2;desc="primary", cache;desc="hit", app;dur=0.35';
const server = createServer((request, response) => {
  // Drain the request body (GETs have none) so the connection is reused.
  request.resume();
  response.writeHead(200, headers);
  response.end(body);
});
server.keepAliveTimeout = 120_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});

const stop = () => {
  server.closeAllConnections();
  server.close();
};
setTimeout(stop, lifetimeS * 1000).unref();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

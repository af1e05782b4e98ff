import { Worker } from 'node:worker_threads';

/**
 * An HTTP server on 127.0.0.1 in its own thread (so the load generator's event loop cannot delay
 * its timers) that answers each request after the next delay of a fixed cycle, timed precisely: a
 * timer to within 2 ms, then a spin on setImmediate. It remembers every delay it meant to serve,
 * and its own time per request: from the request's arrival (its headers parsed) to the end of
 * the response handed to the socket, on the process's monotonic clock. On a busy machine the
 * second is longer than the first: the server's thread waits for a core too.
 */
export interface TimedServer {
  url: string;
  /** The delays it meant to serve, in milliseconds, in order. */
  served(): Promise<number[]>;
  /** Its own time from each request's arrival to its response's end, milliseconds, in order. */
  serverTimes(): Promise<number[]>;
  close(): Promise<void>;
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const delays = workerData.delays;
const served = [];
const times = [];
let next = 0;
const server = http.createServer((req, res) => {
  const arrived = process.hrtime.bigint();
  const delay = delays[next++ % delays.length];
  served.push(delay);
  const due = arrived + BigInt(Math.round(delay * 1e6));
  const finish = () => {
    if (process.hrtime.bigint() < due) return setImmediate(finish);
    res.end('ok');
    times.push(Number(process.hrtime.bigint() - arrived) / 1e6);
  };
  req.resume();
  setTimeout(finish, Math.max(0, delay - 2));
});
server.keepAliveTimeout = 30000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (msg) => {
  if (msg === 'served') parentPort.postMessage({ served });
  if (msg === 'times') parentPort.postMessage({ times });
  if (msg === 'close') { server.closeAllConnections(); server.close(() => process.exit(0)); }
});
`;

export async function startTimedServer(delaysMs: number[]): Promise<TimedServer> {
  const worker = new Worker(WORKER, { eval: true, workerData: { delays: delaysMs } });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (msg: { port: number }) => resolve(msg.port));
    worker.once('error', reject);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    served: () =>
      new Promise((resolve) => {
        worker.once('message', (msg: { served: number[] }) => resolve(msg.served));
        worker.postMessage('served');
      }),
    serverTimes: () =>
      new Promise((resolve) => {
        worker.once('message', (msg: { times: number[] }) => resolve(msg.times));
        worker.postMessage('times');
      }),
    close: () =>
      new Promise((resolve) => {
        worker.once('exit', () => resolve());
        worker.postMessage('close');
      }),
  };
}

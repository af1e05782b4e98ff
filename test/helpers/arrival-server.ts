import { Worker } from 'node:worker_threads';

/**
 * An HTTP server on 127.0.0.1 in its own thread (so the load generator cannot delay its timers)
 * that answers every request after `delayMs`, timed precisely (a timer to within 2 ms, then a spin
 * on setImmediate), and remembers when each request arrived (process.hrtime, which every thread
 * of the process shares), so a test can tell which block of a schedule it fell in.
 */
export interface ArrivalServer {
  url: string;
  /** Arrival times, hrtime nanoseconds, in order. */
  arrivals(): Promise<bigint[]>;
  close(): Promise<void>;
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const arrivals = [];
const server = http.createServer((req, res) => {
  const arrived = process.hrtime.bigint();
  arrivals.push(arrived);
  const due = arrived + BigInt(Math.round(workerData.delayMs * 1e6));
  const finish = () => {
    if (process.hrtime.bigint() < due) return setImmediate(finish);
    res.end('ok');
  };
  req.resume();
  setTimeout(finish, Math.max(0, workerData.delayMs - 2));
});
server.keepAliveTimeout = 30000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (msg) => {
  if (msg === 'arrivals') parentPort.postMessage({ arrivals: arrivals.map(String) });
  if (msg === 'close') { server.closeAllConnections(); server.close(() => process.exit(0)); }
});
`;

export async function startArrivalServer(delayMs: number): Promise<ArrivalServer> {
  const worker = new Worker(WORKER, { eval: true, workerData: { delayMs } });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (msg: { port: number }) => resolve(msg.port));
    worker.once('error', reject);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    arrivals: () =>
      new Promise((resolve) => {
        worker.once('message', (msg: { arrivals: string[] }) => resolve(msg.arrivals.map(BigInt)));
        worker.postMessage('arrivals');
      }),
    close: () =>
      new Promise((resolve) => {
        worker.once('exit', () => resolve());
        worker.postMessage('close');
      }),
  };
}

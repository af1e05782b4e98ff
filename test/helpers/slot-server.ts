import { Worker } from 'node:worker_threads';

/**
 * A target of known capacity, on 127.0.0.1 in its own thread: `slots` workers, each holding a
 * request for `serviceMs` (timed precisely: a timer to within 2 ms, then a spin on setImmediate),
 * the rest waiting in one first-come queue. Its capacity is exactly `slots / serviceMs` requests
 * a millisecond; above it the queue grows at the excess rate, and below it drains at the
 * shortfall, so a test knows the truth of a breaking point and of a recovery. `serviceMs` can be
 * changed while it runs (a latency that rises over the run).
 */
export interface SlotServer {
  url: string;
  /** Requests a second it can serve: slots × 1000 / serviceMs. */
  capacityRps: number;
  setServiceMs(ms: number): void;
  /** Requests answered, and the longest the queue was. */
  stats(): Promise<{ answered: number; maxQueue: number }>;
  close(): Promise<void>;
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
let serviceMs = workerData.serviceMs;
let free = workerData.slots;
const queue = [];
let answered = 0;
let maxQueue = 0;
function serve(res) {
  free--;
  const due = process.hrtime.bigint() + BigInt(Math.round(serviceMs * 1e6));
  const finish = () => {
    if (process.hrtime.bigint() < due) return setImmediate(finish);
    res.end('ok');
    answered++;
    free++;
    const next = queue.shift();
    if (next !== undefined) serve(next);
  };
  setTimeout(finish, Math.max(0, serviceMs - 2));
}
const server = http.createServer((req, res) => {
  req.resume();
  if (free > 0) return serve(res);
  queue.push(res);
  if (queue.length > maxQueue) maxQueue = queue.length;
});
server.keepAliveTimeout = 30000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (msg) => {
  if (msg.serviceMs !== undefined) serviceMs = msg.serviceMs;
  if (msg === 'stats') parentPort.postMessage({ answered, maxQueue });
  if (msg === 'close') { server.closeAllConnections(); server.close(() => process.exit(0)); }
});
`;

export async function startSlotServer(slots: number, serviceMs: number): Promise<SlotServer> {
  const worker = new Worker(WORKER, { eval: true, workerData: { slots, serviceMs } });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (msg: { port: number }) => resolve(msg.port));
    worker.once('error', reject);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    capacityRps: (slots * 1000) / serviceMs,
    setServiceMs: (ms) => worker.postMessage({ serviceMs: ms }),
    stats: () =>
      new Promise((resolve) => {
        worker.once('message', (msg: { answered: number; maxQueue: number }) => resolve(msg));
        worker.postMessage('stats');
      }),
    close: () =>
      new Promise((resolve) => {
        worker.once('exit', () => resolve());
        worker.postMessage('close');
      }),
  };
}

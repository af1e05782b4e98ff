import { Worker } from 'node:worker_threads';
import { startServer, type LoopbackServer } from './loopback-server.js';

/**
 * A loopback target that spends a set amount of CPU time on every request on a worker thread,
 * while answering each one after the same short delay: its latency does not change with the CPU
 * it burns. It serves the worker thread's CPU time (`process.threadCpuUsage()` there, so neither
 * the load generator sharing this process nor its HTTP work is counted) and this process's
 * resident memory at `/metrics`, in the Prometheus text format. The burn is a set count of loop
 * turns (calibrated once against the thread's CPU clock), so a busy machine makes it take longer
 * but not cost more CPU.
 */
export interface CpuBurningTarget extends LoopbackServer {
  /** CPU milliseconds burnt per request from now on. */
  setBurnMs(ms: number): void;
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const total = new Float64Array(workerData);
const cpuSeconds = () => { const u = process.threadCpuUsage(); return (u.user + u.system) / 1e6; };
let x = 0;
const spin = (n) => { for (let i = 0; i < n; i++) x = (x + i * 7) % 1000003; };
// The thread's CPU clock ticks coarsely: the work is a count of loop turns, calibrated once over a long spin.
const before = cpuSeconds();
spin(20000000);
const turnsPerMs = 20000000 / Math.max(1, (cpuSeconds() - before) * 1000);
total[0] = cpuSeconds();
parentPort.on('message', (burnMs) => {
  spin(Math.round(burnMs * turnsPerMs));
  total[0] = cpuSeconds();
});
`;

export async function startCpuBurningTarget(options: { burnMs: number; replyMs?: number }): Promise<CpuBurningTarget> {
  const shared = new SharedArrayBuffer(8);
  const cpuSeconds = new Float64Array(shared);
  const worker = new Worker(WORKER, { eval: true, workerData: shared });
  worker.unref();
  let burnMs = options.burnMs;
  const replyMs = options.replyMs ?? 4;
  const server = await startServer((req, res) => {
    if (req.url === '/metrics') {
      const text = [
        '# HELP process_cpu_seconds_total CPU time the worker thread spent, seconds.',
        '# TYPE process_cpu_seconds_total counter',
        `process_cpu_seconds_total ${cpuSeconds[0]}`,
        '# HELP process_resident_memory_bytes Resident memory size in bytes.',
        '# TYPE process_resident_memory_bytes gauge',
        `process_resident_memory_bytes ${process.memoryUsage.rss()}`,
        '',
      ].join('\n');
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(text);
      return;
    }
    worker.postMessage(burnMs);
    setTimeout(() => res.end('ok'), replyMs);
  });
  return {
    ...server,
    setBurnMs: (ms) => {
      burnMs = ms;
    },
    close: async () => {
      await server.close();
      await worker.terminate();
    },
  };
}

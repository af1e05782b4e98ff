import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricsConfig } from '../../src/config/metrics-config.js';
import { fetchExposition, MetricsScrape, scrapeLog, type ScrapeDeps } from '../../src/run/metrics-scrape.js';

/** A clock and a timer the test moves by hand, and an endpoint that answers what the test says. */
function fakeWorld(answer: (n: number) => string | Error): { deps: ScrapeDeps; tick: (ms: number) => Promise<void>; fetched: () => number } {
  let now = 1_000_000;
  let fetched = 0;
  let timer: { ms: number; fn: () => void; next: number } | undefined;
  const deps: ScrapeDeps = {
    now: () => now,
    fetchText: async () => {
      const text = answer(fetched++);
      if (text instanceof Error) throw text;
      return text;
    },
    every: (ms, fn) => {
      timer = { ms, fn, next: now + ms };
      return { cancel: () => (timer = undefined) };
    },
  };
  const tick = async (ms: number): Promise<void> => {
    const end = now + ms;
    // Each scrape's answer is handed over before the next tick, as a real interval would leave it time to.
    await new Promise((resolve) => setImmediate(resolve));
    while (timer && timer.next <= end) {
      now = timer.next;
      timer.next += timer.ms;
      timer.fn();
      await new Promise((resolve) => setImmediate(resolve));
    }
    now = end;
  };
  return { deps, tick, fetched: () => fetched };
}

const CONFIG: MetricsConfig = { url: 'http://127.0.0.1:9/metrics', intervalMs: 1_000, series: ['process_cpu_seconds_total', 'process_resident_memory_bytes'] };
const exposition = (cpu: number, rss: number): string =>
  `# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total ${cpu}\n# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes ${rss}\n`;

describe('MetricsScrape on an injected clock', () => {
  it('scrapes at the start, every interval and at the stop, each value at its time', async () => {
    const world = fakeWorld((n) => exposition(n * 0.5, 1e6 + n));
    const scrape = new MetricsScrape(CONFIG, world.deps);
    scrape.start();
    await world.tick(3_000);
    const result = await scrape.stop();
    expect(result.scrapes).toBe(5);
    expect(result.failed).toBe(0);
    expect(result.warnings).toEqual([]);
    expect(result.taken.map((t) => t.atWallMs - 1_000_000)).toEqual([0, 1_000, 2_000, 3_000, 3_000]);
    expect(result.taken.map((t) => t.values.get('process_cpu_seconds_total')?.value)).toEqual([0, 0.5, 1, 1.5, 2]);
  });

  it('counts a failed scrape and a garbage answer as warnings and goes on scraping', async () => {
    const world = fakeWorld((n) => (n === 1 ? new Error('connect ECONNREFUSED 127.0.0.1:9') : n === 2 ? '<html>oops</html>\n' : exposition(n, 1)));
    const scrape = new MetricsScrape(CONFIG, world.deps);
    scrape.start();
    await world.tick(3_000);
    const result = await scrape.stop();
    expect(result.scrapes).toBe(5);
    expect(result.failed).toBe(2);
    expect(result.taken).toHaveLength(3);
    expect(result.warnings).toEqual([expect.stringMatching(/failed: connect ECONNREFUSED/), expect.stringMatching(/answered not Prometheus text format/)]);
  });

  it('does not pile scrapes up behind an endpoint slower than the interval', async () => {
    let release: (() => void) | undefined;
    const world = fakeWorld(() => exposition(1, 1));
    const slow: ScrapeDeps = { ...world.deps, fetchText: () => new Promise((resolve) => (release = () => resolve(exposition(1, 1)))) };
    const scrape = new MetricsScrape(CONFIG, slow);
    scrape.start();
    await world.tick(5_000);
    const stopped = scrape.stop();
    release?.();
    await new Promise((resolve) => setImmediate(resolve));
    release?.();
    const result = await stopped;
    // The first scrape hung through five ticks: only it and the one at the stop were made.
    expect(result.scrapes).toBe(2);
  });

  it('lays scrapes on the measured period: after the setup and the warm-up', () => {
    const startedAt = new Date(1_000_000).toISOString();
    const log = scrapeLog(CONFIG, { scrapes: 2, failed: 0, warnings: [], taken: [{ atWallMs: 1_000_000, values: new Map() }, { atWallMs: 1_003_500, values: new Map() }] }, {
      meta: { startedAt, warmupMs: 2_000 } as never,
      setup: { durationMs: 500, steps: [] },
    });
    expect(log.taken.map((t) => t.atMs)).toEqual([-2_500, 1_000]);
  });
});

/** The real thing: a Prometheus client library's default process metrics, served on loopback. */
describe('scraping prom-client over HTTP', () => {
  let server: Server;
  let url = '';
  beforeAll(async () => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    server = createServer((req, res) => {
      if (req.url === '/metrics') {
        void registry.metrics().then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text));
      } else res.writeHead(404).end('<html>no</html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads its CPU counter and resident memory, and the CPU counter rises as the process works', async () => {
    const real: ScrapeDeps = { fetchText: fetchExposition, now: () => Date.now(), every: () => ({ cancel: () => {} }) };
    const scrape = new MetricsScrape({ ...CONFIG, url: `${url}/metrics` }, real);
    scrape.start();
    // Work a fixed amount, so the counter must move however busy the machine is; in slices, so
    // that the server (in this process) answers the first scrape meanwhile.
    let x = 0;
    for (let slice = 0; slice < 30; slice++) {
      for (let i = 0; i < 1e6; i++) x = (x + i * 7) % 1_000_003;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(x).toBeGreaterThanOrEqual(0);
    const result = await scrape.stop();
    expect(result.warnings).toEqual([]);
    expect(result.failed).toBe(0);
    expect(result.taken).toHaveLength(2);
    const [first, last] = [result.taken[0], result.taken.at(-1)];
    expect(first?.values.get('process_cpu_seconds_total')?.type).toBe('counter');
    expect(last?.values.get('process_resident_memory_bytes')?.value).toBeGreaterThan(1e6);
    expect((last?.values.get('process_cpu_seconds_total')?.value ?? 0) - (first?.values.get('process_cpu_seconds_total')?.value ?? 0)).toBeGreaterThan(0);
  });

  it('refuses an error status as a failed scrape', async () => {
    await expect(fetchExposition(`${url}/nope`, 2_000)).rejects.toThrow('HTTP 404');
  });
});

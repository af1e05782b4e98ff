import { collectDefaultMetrics, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatRunSummary } from '../../src/cli/run-summary.js';
import { parseProfile } from '../../src/config/load-profile.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import type { RunRecord, RunnerFingerprint } from '../../src/record/run-record-types.js';
import { cpuPerRequest } from '../../src/record/target-metrics.js';
import { executeProfile } from '../../src/run/execute-profile.js';
import { captureIo } from '../cli/cli-io.js';
import { startServer, type LoopbackServer } from '../helpers/loopback-server.js';

/**
 * The target's own metrics scraped during a real run on loopback: a target that spends a fixed
 * amount of CPU on each request and serves a real Prometheus client library's (prom-client's)
 * default process metrics. Its CPU counter and resident memory land in the record per block, the
 * summary shows the CPU per request, and an endpoint that answers garbage or nothing is a
 * warning in the record and the summary, never a failed run.
 */

/** A fixed amount of work: its CPU time does not depend on how busy the machine is. */
function work(): number {
  let x = 0;
  for (let i = 0; i < 400_000; i++) x = (x + i * 7) % 1_000_003;
  return x;
}

const profileYaml = (metrics: string): string => `name: target-metrics
target: \${TARGET_URL}
warmup: 1s
block: 1s
metrics: ${metrics}
scenarios:
  steady:
    executor: constant-arrival-rate
    rate: 40
    duration: 4s
    preAllocatedVUs: 4
journeys:
  one:
    steps:
      - name: work
        request: GET /work
`;

const FINGERPRINT: RunnerFingerprint = { cpuModel: 'Test CPU', logicalCores: 2, totalMemoryBytes: 8_000_000_000 };

describe('the target’s metrics, scraped beside a loopback run', () => {
  let server: LoopbackServer;
  /** CPU-seconds one call of work() takes, measured in this process before the runs. */
  let workCpuSeconds = 0;
  beforeAll(async () => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    server = await startServer((req, res) => {
      if (req.url === '/metrics') void registry.metrics().then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text));
      else if (req.url === '/garbage') res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>metrics moved</body></html>\n');
      else res.end(String(work()));
    });
    const before = process.cpuUsage();
    for (let i = 0; i < 50; i++) work();
    const used = process.cpuUsage(before);
    workCpuSeconds = (used.user + used.system) / 1e6 / 50;
  });
  afterAll(() => server.close());

  const run = async (metrics: string): Promise<{ record: RunRecord; summary: string; log: string[] }> => {
    const env = { TARGET_URL: server.url };
    const profile = parseProfile(profileYaml(metrics), { file: 'tailgate.yml', env });
    const io = captureIo(env);
    const record = await executeProfile(profile, io, { quiet: true, fingerprint: () => FINGERPRINT });
    // What a reader makes of the written record: the schema and the checks pass.
    const read = parseRunRecord(JSON.stringify(record), 'run.json');
    return { record: read, summary: formatRunSummary(read), log: io.log };
  };

  it('records the CPU counter and resident memory per block, and the summary shows the CPU per request', async () => {
    const { record, summary } = await run('{ url: "${TARGET_URL}/metrics", interval: 500ms }');
    const metrics = record.targetMetrics;
    expect(metrics?.failed).toBe(0);
    expect(metrics?.warnings).toEqual([]);
    expect(Object.keys(metrics?.series ?? {})).toEqual(['process_cpu_seconds_total', 'process_resident_memory_bytes']);
    const cpu = metrics?.series.process_cpu_seconds_total;
    expect(cpu?.type).toBe('counter');
    expect(cpu?.blocks).toHaveLength(record.blocks.length);
    // The target lives in this process, so its CPU holds the generator's too: at least the work's.
    const filled = cpu?.blocks.filter((b) => b !== null) ?? [];
    expect(filled.length).toBeGreaterThanOrEqual(Math.ceil(record.blocks.length / 2));
    expect(cpu?.blocks.at(-1)).not.toBeNull();
    expect(cpu?.start?.atMs).toBeLessThanOrEqual(0);
    const derived = cpuPerRequest(record);
    expect(record.overall.requests).toBeGreaterThan(50);
    expect(derived?.cpuSecondsPerRequest).toBeGreaterThan(0.8 * workCpuSeconds);
    expect(metrics?.series.process_resident_memory_bytes?.blocks.at(-1)?.value).toBeGreaterThan(10 * 1024 * 1024);
    // The url came from the environment (\${TARGET_URL}): the record and the summary show it as ***.
    expect(metrics?.url).toBe('***/metrics');
    expect(`${JSON.stringify(record)}${summary}`).not.toContain(server.url);
    expect(summary).toMatch(/Target metrics \(\*\*\*\/metrics, \d+ of \d+ scrapes\):/);
    expect(summary).toMatch(/CPU {5}\d+\.\d{3} ms per request \(\d+\.\d\d cores busy over the measured period\)/);
    expect(summary).toMatch(/memory {2}\d+\.\d MiB at the end, [+-]\d+\.\d MiB a minute/);
    expect(summary).not.toMatch(/WARNING target metrics/);
  }, 30_000);

  it('an endpoint answering garbage, or nothing, is a warning in the record, the log and the summary; the run is whole', async () => {
    const garbage = await run('{ url: "${TARGET_URL}/garbage", interval: 1s }');
    expect(garbage.record.overall.requests).toBeGreaterThan(50);
    expect(garbage.record.targetMetrics?.failed).toBe(garbage.record.targetMetrics?.scrapes);
    expect(garbage.record.targetMetrics?.series).toEqual({});
    expect(garbage.record.targetMetrics?.warnings).toEqual([expect.stringMatching(/\/garbage answered not Prometheus text format/)]);
    expect(garbage.summary).toMatch(/WARNING target metrics: (\d+) of \1 scrapes failed; .*not Prometheus text format.*\(the latency gate is not affected\)/);
    expect(garbage.log.join('\n')).toMatch(/target metrics: .*not Prometheus text format/);

    const closed = await run('{ url: "http://127.0.0.1:1/metrics", interval: 1s }');
    expect(closed.record.overall.requests).toBeGreaterThan(50);
    expect(closed.record.targetMetrics?.warnings).toEqual([expect.stringMatching(/scraping http:\/\/\S+:1\/metrics failed: .*ECONNREFUSED/)]);
    expect(closed.summary).toMatch(/WARNING target metrics: \d+ of \d+ scrapes failed/);
  }, 40_000);
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import { decodeHistogram, mergeHistograms, percentileMs } from '../../src/record/histogram.js';
import { startServer, respondAfter, type LoopbackServer } from '../helpers/loopback-server.js';
import { captureIo } from './cli-io.js';

/**
 * `tailgate run` and `merge` where the assertions hang on real time: a run's count of requests
 * against its schedule, and shards started together (--start-at) whose union is exact. Flags,
 * metadata and refusals are in `run-and-merge.test.ts`, which runs in parallel.
 */

const dir = mkdtempSync(join(tmpdir(), 'tailgate-cli-'));
const write = (name: string, text: string): string => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

const PROFILE = `
name: cli-test
target: \${TARGET_URL}
block: 1s
scenarios:
  steady:
    executor: constant-arrival-rate
    rate: 200
    duration: 3s
    preAllocatedVUs: 5
    maxVUs: 50
journeys:
  one:
    steps:
      - name: hello
        request: GET /hello
`;

let server: LoopbackServer;
beforeAll(async () => {
  server = await startServer((req, res) => respondAfter(res, req, 1 + Math.random() * 4));
});
afterAll(() => server.close());

describe('tailgate run', () => {
  it('runs the profile, writes a readable record and prints a summary', async () => {
    const io = captureIo({ TARGET_URL: server.url });
    const out = join(dir, 'run.json');
    const code = await main(['run', '--config', write('p.yml', PROFILE), '--out', out], io);
    expect(code).toBe(0);
    const record = parseRunRecord(readFileSync(out, 'utf8'), out);
    expect(record.meta.profile.id).toBe('cli-test');
    expect(record.scenarios.steady?.intendedIterations).toBe(600);
    expect(record.blocks).toHaveLength(3);
    expect(io.out()).toContain('hello');
    // Every scheduled iteration ran or was counted as dropped (a generator starved of CPU on a busy
    // machine drops some: 36 of 600 beside two busy loops at a load average of 22); a request or
    // two may end past the schedule. The summary prints the record's own counts.
    const overall = record.summary.overall;
    expect(overall.requests + (record.scenarios.steady?.droppedIterations ?? 0)).toBeGreaterThan(590);
    expect(overall.errors).toBe(0);
    expect(io.out()).toMatch(new RegExp(`all steps\\s+${overall.requests}\\s+${overall.errors}\\s+${overall.rps.toFixed(1).replace('.', '\\.')}\\s`));
  });
});

describe('tailgate merge', () => {
  const runShards = async (extra: (shard: string) => string[]): Promise<string[]> =>
    Promise.all(
      ['1/2', '2/2'].map(async (shard) => {
        const out = join(dir, `shard-${shard[0]}.json`);
        const io = captureIo();
        expect(await main(['run', '--config', write('s.yml', PROFILE), '--target', server.url, '--shard', shard, '--out', out, '--quiet', ...extra(shard)], io), io.log.join('\n')).toBe(0);
        return out;
      }),
    );

  it('merges shards started together (--start-at) exactly: counts add up, percentiles are those of the union', async () => {
    const startAt = new Date(Date.now() + 1500).toISOString();
    const files = await runShards(() => ['--start-at', startAt]);
    const shards = files.map((f) => parseRunRecord(readFileSync(f, 'utf8'), f));
    expect(shards.map((s) => s.scenarios.steady?.intendedIterations)).toEqual([300, 300]);
    // Each waited for the start: neither began its load before it.
    for (const s of shards) expect(Date.parse(s.meta.startedAt)).toBeGreaterThanOrEqual(Date.parse(startAt));
    const out = join(dir, 'merged.json');
    expect(await main(['merge', ...files, '--out', out], captureIo())).toBe(0);
    const merged = parseRunRecord(readFileSync(out, 'utf8'), out);
    // Exactly the shards' requests, whatever a busy machine let each send of its 300.
    expect(merged.overall.requests).toBe(shards.reduce((sum, s) => sum + s.overall.requests, 0));
    for (const s of shards) expect(s.overall.requests + (s.scenarios.steady?.droppedIterations ?? 0)).toBeGreaterThan(290);
    expect(merged.scenarios.steady?.intendedIterations).toBe(600);
    expect(merged.meta.mergedFrom).toBe(2);
    const union = mergeHistograms(shards.map((s) => decodeHistogram(s.overall.histogram)));
    expect(merged.summary.overall.p95).toBeCloseTo(percentileMs(union, 95), 3);
    merged.overall.blocks.forEach((block, i) => {
      expect(block.requests).toBe(shards.reduce((sum, s) => sum + (s.overall.blocks[i]?.requests ?? 0), 0));
    });
  }, 30_000);
});

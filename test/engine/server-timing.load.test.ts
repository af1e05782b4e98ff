import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatRunSummary } from '../../src/cli/run-summary.js';
import { decodeHistogram } from '../../src/record/histogram.js';
import { mergeRecords } from '../../src/record/merge-records.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import type { RunRecord, ServerTimingRecord } from '../../src/record/run-record-types.js';
import type { LoopbackServer } from '../helpers/loopback-server.js';
import { profileWith, step } from '../helpers/profiles.js';
import { runProfile } from '../helpers/run-profile.js';
import { startServerTimingTarget } from '../helpers/server-timing-target.js';

/**
 * Server-Timing recorded by the engine against a real loopback target whose header values are
 * known: every response's durations land in its step's component histograms, exactly (to the
 * histogram's 3 digits), malformed entries are counted and never stop the run, and a step keeps
 * at most 20 names.
 */
describe('Server-Timing in a run', () => {
  let server: LoopbackServer;
  const many = Array.from({ length: 25 }, (_, i) => `c${i};dur=${i + 1}`).join(', ');
  beforeAll(async () => {
    server = await startServerTimingTarget({
      '/checkout': 'db;dur=40, cache;desc="Cache Read";dur=2.5, miss',
      '/broken': ['db;dur=abc, app;dur=3', 'bad name;dur=1'],
      '/many': many,
    });
  });
  afterAll(() => server.close());

  let record: RunRecord;
  beforeAll(async () => {
    const profile = profileWith({
      target: server.url,
      warmupMs: 200,
      journeys: [
        {
          name: 'j',
          weight: 1,
          steps: [step('GET /checkout', { name: 'checkout' }), step('GET /plain', { name: 'plain' }), step('GET /broken', { name: 'broken' }), step('GET /many', { name: 'many' })],
        },
      ],
      scenarios: [{ name: 's', executor: { type: 'constant-vus', vus: 2, durationMs: 1200 } }],
    });
    record = await runProfile(profile);
  }, 30_000);

  const timing = (name: string): ServerTimingRecord => record.steps[name]?.serverTiming as ServerTimingRecord;
  const count = (encoded: string): number => decodeHistogram(encoded).totalCount;

  it('records each component’s dur per step, exactly, and nothing for a step whose responses carry no header', () => {
    const requests = record.steps.checkout?.requests ?? 0;
    expect(requests).toBeGreaterThan(5);
    expect(record.steps.plain?.serverTiming).toBeUndefined();
    expect(record.overall.serverTiming).toBeUndefined();
    const checkout = timing('checkout');
    expect(checkout).toMatchObject({ responses: requests, malformed: 0, dropped: 0 });
    expect(Object.keys(checkout.components).sort()).toEqual(['cache', 'db', 'miss']);
    const db = decodeHistogram(checkout.components.db?.histogram as string);
    expect(db.totalCount).toBe(requests);
    // 40 ms is 40,000 µs, in a bucket 32 µs wide: every value recorded is that bucket's.
    expect(db.minNonZeroValue).toBeGreaterThanOrEqual(40_000);
    expect(db.maxValue).toBeLessThan(40_032);
    const cache = decodeHistogram(checkout.components.cache?.histogram as string);
    expect(cache.totalCount).toBe(requests);
    expect(cache.minNonZeroValue).toBeGreaterThanOrEqual(2_500);
    expect(cache.maxValue).toBeLessThan(2_502);
    expect(checkout.components.cache?.description).toBe('Cache Read');
    // A metric without dur is counted, in no histogram.
    expect(checkout.components.miss?.entries).toBe(requests);
    expect(count(checkout.components.miss?.histogram as string)).toBe(0);
  });

  it('keeps one histogram per block, adding up to the whole, each block holding its requests', () => {
    const db = timing('checkout').components.db;
    expect(db?.blocks).toHaveLength(record.blocks.length);
    const perBlock = db?.blocks.map(count) ?? [];
    expect(perBlock.reduce((a, b) => a + b, 0)).toBe(record.steps.checkout?.requests);
    expect(perBlock).toEqual(record.steps.checkout?.blocks.map((b) => b.requests));
  });

  it('counts malformed entries and reads the rest, across several headers; the requests do not fail', () => {
    const broken = timing('broken');
    const requests = record.steps.broken?.requests ?? 0;
    expect(record.steps.broken?.errors).toBe(0);
    expect(broken.malformed).toBe(2 * requests);
    expect(Object.keys(broken.components)).toEqual(['app']);
    expect(count(broken.components.app?.histogram as string)).toBe(requests);
  });

  it('keeps the first 20 names of a step and counts the rest as dropped', () => {
    const m = timing('many');
    const requests = record.steps.many?.requests ?? 0;
    expect(Object.keys(m.components)).toHaveLength(20);
    expect(m.components.c19).toBeDefined();
    expect(m.components.c20).toBeUndefined();
    expect(m.dropped).toBe(5 * requests);
  });

  it('shows each step’s components in the run summary, busiest first', () => {
    const summary = formatRunSummary(record);
    const lines = summary.split('\n');
    const at = lines.findIndex((l) => l.startsWith('Server-Timing'));
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(/^ {2}checkout +db 40\.0\d \/ 40\.0\d ms, cache \(Cache Read\) 2\.50 \/ 2\.50 ms, miss ×\d+ without dur$/);
    expect(lines[at + 2]).toMatch(new RegExp(`^ {2}broken +app 3\\.00 / 3\\.00 ms; ${timing('broken').malformed} malformed entries skipped$`));
    expect(lines[at + 3]).toMatch(/^ {2}many +c19 20\.0\d \/ 20\.0\d ms, .*; \d+ entries dropped \(beyond 20 names\)$/);
    expect(summary).not.toMatch(/^ {2}plain/m);
  });

  it('survives the record’s reader, and shards merge exactly', () => {
    const read = parseRunRecord(JSON.stringify(record), 'run.json');
    expect(read.steps.checkout?.serverTiming).toEqual(timing('checkout'));
    const merged = mergeRecords([
      { file: 'a.json', record: read },
      { file: 'b.json', record: read },
    ]);
    const db = merged.steps.checkout?.serverTiming?.components.db;
    expect(count(db?.histogram as string)).toBe(2 * (record.steps.checkout?.requests ?? 0));
    expect(db?.blocks.map(count)).toEqual(timing('checkout').components.db?.blocks.map((b) => 2 * count(b)));
    expect(merged.steps.broken?.serverTiming?.malformed).toBe(2 * timing('broken').malformed);
    expect(merged.steps.many?.serverTiming?.dropped).toBe(2 * timing('many').dropped);
    expect(() => parseRunRecord(JSON.stringify(merged), 'merged.json')).not.toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { createWriteHistogram, encodeHistogram, recordMicros } from '../../../src/record/histogram.js';
import type { RunRecord, TargetSample } from '../../../src/record/run-record-types.js';
import { blockCorrelations, blockCorrelationsTable } from '../../../src/report/html/block-correlations.js';
import { renderHtmlReport } from '../../../src/report/html/render-html-report.js';
import { seededRandom } from '../../../src/stats/seeded-random.js';
import { buildRunRecord } from '../../compare/record-builder.js';

/**
 * Per block, what a step's latency follows, on a run of known truth: checkout's time is db's
 * (which wanders from block to block) plus app's (steady noise), and the target's CPU is busy in
 * step with db; its memory only creeps.
 */
const encode = (valuesMs: readonly number[]): string => {
  const h = createWriteHistogram();
  for (const ms of valuesMs) recordMicros(h, ms * 1000);
  return encodeHistogram(h);
};

function run(): RunRecord {
  const random = seededRandom(27);
  const blocks = 20;
  const db = Array.from({ length: blocks }, () => 10 + 20 * random.next());
  const perBlock = db.map((d) => Array.from({ length: 50 }, () => ({ db: d * (1 + 0.05 * random.normal()), app: 5 + random.next() })));
  const record = buildRunRecord({ blockMs: 1_000, steps: { checkout: perBlock.map((block) => ({ latenciesMs: block.map((r) => r.db + r.app) })) } });
  const step = record.steps.checkout as RunRecord['steps'][string];
  step.serverTiming = {
    responses: 50 * blocks,
    malformed: 0,
    dropped: 0,
    components: {
      db: { histogram: encode(perBlock.flat().map((r) => r.db)), entries: 50 * blocks, blocks: perBlock.map((b) => encode(b.map((r) => r.db))) },
      app: { histogram: encode(perBlock.flat().map((r) => r.app)), entries: 50 * blocks, blocks: perBlock.map((b) => encode(b.map((r) => r.app))) },
    },
  };
  let cpu = 1;
  const cpuBlocks: TargetSample[] = db.map((d, i) => ({ atMs: i * 1_000 + 900, value: (cpu += 0.01 * d) }));
  const memory: TargetSample[] = db.map((_, i) => ({ atMs: i * 1_000 + 900, value: 50e6 + i * 1e5 + 1e5 * random.next() }));
  record.targetMetrics = {
    url: 'http://127.0.0.1:9464/metrics',
    intervalMs: 1_000,
    scrapes: blocks,
    failed: 0,
    warnings: [],
    series: { process_cpu_seconds_total: { type: 'counter', start: { atMs: -100, value: 1 }, blocks: cpuBlocks }, process_resident_memory_bytes: { type: 'gauge', blocks: memory } },
  };
  return record;
}

describe('what latency follows, block by block', () => {
  it('finds checkout following db and CPU, not app', () => {
    const found = blockCorrelations(run()).filter((c) => c.step === 'checkout');
    const r = (name: string): number => found.find((c) => c.name === name)?.r ?? Number.NaN;
    expect(found[0]?.name).toBe('db');
    expect(r('db')).toBeGreaterThan(0.95);
    expect(r('process_cpu_seconds_total')).toBeGreaterThan(0.9);
    expect(Math.abs(r('app'))).toBeLessThan(0.5);
    expect(found.every((c) => c.blocks === 20)).toBe(true);
  });

  it('is a table in the HTML report, names escaped; nothing without a second series to follow', () => {
    const html = renderHtmlReport({ current: run() });
    expect(html).toContain('<section id="correlations"><h2>What latency follows, block by block</h2>');
    expect(html).toMatch(/<td class="text"><code>checkout<\/code><\/td><td class="text">Server-Timing <code>db<\/code><\/td><td>\+(0\.9\d|1\.00)<\/td>/);
    expect(blockCorrelationsTable([{ step: '<b>', kind: 'server-timing', name: '<i>', r: -0.5, blocks: 9 }])).toContain('<code>&#60;b&#62;</code></td><td class="text">Server-Timing <code>&#60;i&#62;</code></td><td>−0.50</td>');
    expect(blockCorrelationsTable([])).toBe('');
  });
});

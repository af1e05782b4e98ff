import { describe, expect, it } from 'vitest';
import { mergeRecords } from '../../src/record/merge-records.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import type { RunRecord } from '../../src/record/run-record-types.js';
import { cpuPerRequest } from '../../src/record/target-metrics.js';
import { seededRandom } from '../../src/stats/seeded-random.js';
import { syntheticRun } from '../compare/record-builder.js';
import { withScrapes } from '../compare/target-metrics-runs.js';

/** Shards that scraped the target: its CPU and memory are its own, so one shard's scrapes stand for the merge. */
function shard(index: number, blocks = 10, url?: string): RunRecord {
  const record = withScrapes(syntheticRun(index, { list: { blocks, requestsPerBlock: 100 } }, { blockMs: 1_000 }), seededRandom(index));
  record.meta.shard = { index, count: 2 };
  if (url !== undefined && record.targetMetrics) record.targetMetrics.url = url;
  return record;
}

describe('merging shards that scraped the target', () => {
  it('keeps the first shard’s scrapes on the merge’s blocks, says so, and reads back as a valid record', () => {
    const first = shard(1, 10);
    const merged = mergeRecords([
      { file: 'a.json', record: first },
      { file: 'b.json', record: shard(2, 12) },
    ]);
    expect(merged.blocks).toHaveLength(12);
    const cpu = merged.targetMetrics?.series.process_cpu_seconds_total;
    expect(cpu?.blocks).toHaveLength(12);
    expect(cpu?.blocks.slice(0, 10)).toEqual(first.targetMetrics?.series.process_cpu_seconds_total?.blocks);
    expect(cpu?.blocks.slice(10)).toEqual([null, null]);
    expect(merged.targetMetrics?.warnings.at(-1)).toBe("merged from 2 shards: the series are shard 1/2's scrapes of http://127.0.0.1:9464/metrics (2 of 2 scraped it)");
    // The target's CPU over every shard's requests: less per request than one shard's share made it look.
    expect(cpuPerRequest(merged)?.cpuSecondsPerRequest).toBeLessThan(0.75 * (cpuPerRequest(first)?.cpuSecondsPerRequest as number));
    expect(parseRunRecord(JSON.stringify(merged), 'merged.json').targetMetrics).toEqual(merged.targetMetrics);
  });

  it('keeps none when the shards scraped different endpoints, or none scraped', () => {
    expect(mergeRecords([{ file: 'a.json', record: shard(1) }, { file: 'b.json', record: shard(2, 10, 'http://127.0.0.2:9464/metrics') }]).targetMetrics).toBeUndefined();
    const bare = (index: number): RunRecord => {
      const record = shard(index);
      delete record.targetMetrics;
      return record;
    };
    expect(mergeRecords([{ file: 'a.json', record: bare(1) }, { file: 'b.json', record: bare(2) }]).targetMetrics).toBeUndefined();
  });
});

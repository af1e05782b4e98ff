import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatRunSummary } from '../../src/cli/run-summary.js';
import { mergeRecords } from '../../src/record/merge-records.js';
import { importText } from './import-helpers.js';
import { gatlingLog, k6Csv, k6Json, syntheticRequests } from './synthetic-runs.js';

/** `meta.source` where people read a run: the summary says another tool made it; a merge of imports keeps it. */
const gatlingFixture = readFileSync(join(import.meta.dirname, '../fixtures/import/gatling/shop-3.11.log'), 'utf8');

describe('the run summary of an imported run', () => {
  it('says which tool and file made it, that the generator was not checked, and how latency was timed', async () => {
    const { record } = await importText(gatlingFixture);
    const summary = formatRunSummary(record);
    expect(summary).toContain("imported from Gatling's simulation.log (made by gatling 3.11.5, not by tailgate): tailgate's self-check of the load generator did not run");
    expect(summary).toContain("latency timed from each request's actual start");
    expect(summary).toMatch(/generator: gatling's own, not checked by tailgate \(watch its own warnings\)$/);
    expect(summary).not.toContain('event-loop delay');
  });

  it('says what the file left out: whole-second times, skipped lines', async () => {
    const csv = k6Csv(syntheticRequests({ seed: 3, seconds: 4 })).replace('\nhttp_reqs,', '\nnot,a,sample\nhttp_reqs,');
    const summary = formatRunSummary((await importText(csv)).record);
    expect(summary).toContain('imported from k6 --out csv (made by k6, not by tailgate)');
    expect(summary).toContain('request times known to 1 s; 1 malformed line skipped');
  });

  it("says nothing of a source for tailgate's own runs", async () => {
    const { record } = await importText(gatlingFixture);
    const { source: _, ...meta } = record.meta;
    expect(formatRunSummary({ ...record, meta })).not.toContain('imported from');
  });
});

describe('a merge of imported runs', () => {
  it("keeps meta.source: the files' malformed lines summed, the version where all name the same", async () => {
    const a = (await importText(gatlingLog(syntheticRequests({ seed: 1, seconds: 3 })))).record;
    const b = (await importText(gatlingLog(syntheticRequests({ seed: 2, seconds: 3 })).replace('\nUSER', '\ngarbage\nUSER'))).record;
    expect([a.meta.source?.malformedLines, b.meta.source?.malformedLines]).toEqual([0, 1]);
    const merged = mergeRecords([
      { file: 'a.run.json', record: a },
      { file: 'b.run.json', record: b },
    ]);
    expect(merged.meta.source).toEqual({ ...a.meta.source, malformedLines: 1 });
    expect(merged.meta.source?.version).toBe('3.11.5');
    expect(formatRunSummary(merged)).toContain("imported from Gatling's simulation.log (made by gatling 3.11.5");

    const early = (await importText(gatlingLog(syntheticRequests({ seed: 2, seconds: 3 }), { userIds: true }))).record;
    const mixed = mergeRecords([
      { file: 'a.run.json', record: a },
      { file: 'early.run.json', record: early },
    ]);
    expect(mixed.meta.source?.version).toBeUndefined();
    expect(mixed.meta.source?.tool).toBe('gatling');
  });

  it('keeps the coarsest time resolution of the files', async () => {
    const requests = syntheticRequests({ seed: 4, seconds: 3 });
    const json = (await importText(k6Json(requests))).record;
    const csv = (await importText(k6Csv(requests))).record;
    const merged = mergeRecords([
      { file: 'json.run.json', record: json },
      { file: 'csv.run.json', record: csv },
    ]);
    expect(merged.meta.source?.timeResolutionMs).toBe(1000);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseThreshold } from '../../src/threshold/threshold-expression.js';
import { evaluateThresholds } from '../../src/threshold/thresholds.js';
import { decodeHistogram } from '../../src/record/histogram.js';
import { mergeRecords } from '../../src/record/merge-records.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import { startServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { profileWith, step } from '../helpers/profiles.js';
import { runProfile } from '../helpers/run-profile.js';

/** k6's http_req_waiting: the time to a response's headers, apart from the time to its whole body. */
describe('http_req_waiting', () => {
  let server: LoopbackServer;
  beforeAll(async () => {
    // /early sends its headers at once and its body 80 ms later; /late waits 40 ms before answering at all.
    server = await startServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url === '/early') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.flushHeaders();
          setTimeout(() => res.end('body'), 80);
        } else setTimeout(() => res.end('ok'), 40);
      });
    });
  });
  afterAll(() => server.close());

  const profile = () =>
    profileWith({
      target: server.url,
      journeys: [{ name: 'j', weight: 1, steps: [step('GET /early', { name: 'early' }), step('GET /late', { name: 'late' })] }],
      scenarios: [{ name: 's', executor: { type: 'constant-vus', vus: 2, durationMs: 700 } }],
    });

  it('records each step’s time to headers per scenario, and thresholds read it', async () => {
    const record = await runProfile(profile());
    const steps = record.scenarios.s?.results?.steps;
    const waiting = (name: string) => decodeHistogram(steps?.[name]?.waiting as string);
    expect(waiting('early').totalCount).toBe(steps?.early?.requests);
    expect(waiting('late').totalCount).toBe(steps?.late?.requests);
    // A timer may fire a fraction of a millisecond early; a busy loop only makes a wait longer.
    expect(waiting('late').minNonZeroValue).toBeGreaterThanOrEqual(38_000);

    // Each early request waited less than it lasted (its body came 80 ms after its headers): a
    // bound a busy machine cannot break, where a fixed number of milliseconds could be.
    const [duration] = evaluateThresholds(record, [parseThreshold({ metric: 'http_req_duration{step:early}', expressions: ['p(50)>0'] })]);
    const results = evaluateThresholds(record, [
      { metric: 'http_req_waiting{step:early}', expressions: [`p(50)<${duration?.observed ?? 0}`] },
      { metric: 'http_req_duration{step:early}', expressions: ['min>=78'] },
      { metric: 'http_req_waiting{step:late}', expressions: ['min>=38'] },
      { metric: 'http_req_waiting{scenario:s}', expressions: ['max>=38'] },
      { metric: 'http_req_waiting', expressions: ['p(99)<1'] },
    ].map(parseThreshold));
    expect(results.map((r) => [r.metric, r.status, r.unit])).toEqual([
      ['http_req_waiting{step:early}', 'ok', 'ms'],
      ['http_req_duration{step:early}', 'ok', 'ms'],
      ['http_req_waiting{step:late}', 'ok', 'ms'],
      ['http_req_waiting{scenario:s}', 'ok', 'ms'],
      ['http_req_waiting', 'broken', 'ms'],
    ]);
  }, 20_000);

  it('keeps it through reading and merging; an older record has no data for it', async () => {
    const a = await runProfile(profile());
    const read = parseRunRecord(JSON.stringify(a), 'run.json');
    expect(read.scenarios.s?.results?.steps.late?.waiting).toBe(a.scenarios.s?.results?.steps.late?.waiting);
    const shard = (index: number) => ({ ...a, meta: { ...a.meta, shard: { index, count: 2 } } });
    const merged = mergeRecords([
      { file: 'a.json', record: shard(1) },
      { file: 'b.json', record: shard(2) },
    ]);
    const count = (encoded: string | undefined) => decodeHistogram(encoded as string).totalCount;
    expect(count(merged.scenarios.s?.results?.steps.late?.waiting)).toBe(2 * count(a.scenarios.s?.results?.steps.late?.waiting));

    const results = a.scenarios.s?.results;
    if (!results) throw new Error('no results');
    const { waiting: _w, ...late } = results.steps.late as NonNullable<typeof results.steps.late>;
    const older = { ...a, scenarios: { s: { ...(a.scenarios.s as NonNullable<typeof a.scenarios.s>), results: { ...results, steps: { ...results.steps, late } } } } };
    const [result] = evaluateThresholds(older, [{ metric: 'http_req_waiting{step:late}', expressions: ['p(95)<1000'] }].map(parseThreshold));
    expect(result?.status).toBe('no-data');
  }, 20_000);
});

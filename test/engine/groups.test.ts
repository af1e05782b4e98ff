import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatRunSummary } from '../../src/cli/run-summary.js';
import { parseProfile } from '../../src/config/load-profile.js';
import { decodeHistogram } from '../../src/record/histogram.js';
import { mergeRecords } from '../../src/record/merge-records.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import type { RunRecord } from '../../src/record/run-record-types.js';
import { evaluateThresholds } from '../../src/threshold/thresholds.js';
import { configErrorMessage } from '../helpers/config-problem.js';
import { startServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { runProfile } from '../helpers/run-profile.js';

/** k6's group(): consecutive steps of a journey with the same `group:`, and their group_duration. */
const HEAD = 'target: http://127.0.0.1:9\nscenarios: { s: { executor: shared-iterations, vus: 1, iterations: 4 } }\n';
const JOURNEY = `journeys:
  shop:
    steps:
      - { name: browse, request: GET /fast }
      - { name: cart, request: GET /slow, group: checkout }
      - { name: pay, request: GET /slow, group: checkout }
      - { name: done, request: GET /fast }
`;
const THRESHOLDS = `thresholds:
  "group_duration{group:checkout}": ["min>=58"]
  "group_duration{group:::checkout}": ["p(99)<1"]
  "group_duration{scenario:s}": ["max>=58"]
`;
const parse = (text: string, target = 'http://127.0.0.1:9') => parseProfile(text.replace('http://127.0.0.1:9', target), { file: 'groups.yml', env: {} });

describe('groups', () => {
  let server: LoopbackServer;
  let record: RunRecord;
  beforeAll(async () => {
    // /slow answers after 30 ms: a group of two of them takes at least 60 ms.
    server = await startServer((req, res) => {
      req.resume();
      if (req.url === '/slow') setTimeout(() => res.end('ok'), 30);
      else res.end('ok');
    });
    record = await runProfile(parse(`${HEAD}${JOURNEY}`, server.url));
  }, 20_000);
  afterAll(() => server.close());

  it('records how long each iteration spent in the group, from its first request to its last', () => {
    const checkout = decodeHistogram(record.scenarios.s?.groupDurations?.checkout as string);
    expect(checkout.totalCount).toBe(4);
    expect(checkout.minNonZeroValue).toBeGreaterThanOrEqual(58_000);
    expect(formatRunSummary(record)).toMatch(/groups \(group_duration.*\n {2}s checkout: 4 times, p50 \d+\.\d\d ms, p95 \d+\.\d\d ms/);
  });

  it('reads group_duration in thresholds, met and broken, by k6’s ::NAME too', () => {
    const profile = parse(`${HEAD}${JOURNEY}${THRESHOLDS}`, server.url);
    expect(evaluateThresholds(record, profile.thresholds).map((r) => [r.metric, r.expression, r.status, r.unit])).toEqual([
      ['group_duration{group:checkout}', 'min>=58', 'ok', 'ms'],
      ['group_duration{group:::checkout}', 'p(99)<1', 'broken', 'ms'],
      ['group_duration{scenario:s}', 'max>=58', 'ok', 'ms'],
    ]);
  });

  it('keeps the durations through reading and merging; an older record has no data', () => {
    const read = parseRunRecord(JSON.stringify(record), 'run.json');
    expect(read.scenarios.s?.groupDurations).toEqual(record.scenarios.s?.groupDurations);
    const shard = (index: number): RunRecord => ({ ...record, meta: { ...record.meta, shard: { index, count: 2 } } });
    const merged = mergeRecords([
      { file: 'a.json', record: shard(1) },
      { file: 'b.json', record: shard(2) },
    ]);
    expect(decodeHistogram(merged.scenarios.s?.groupDurations?.checkout as string).totalCount).toBe(8);
    const { groupDurations: _g, ...scenario } = record.scenarios.s as NonNullable<RunRecord['scenarios'][string]>;
    const older: RunRecord = { ...record, scenarios: { s: scenario } };
    const profile = parse(`${HEAD}${JOURNEY}thresholds: { "group_duration": ["p(95)<1000"] }\n`);
    expect(evaluateThresholds(older, profile.thresholds).map((r) => r.status)).toEqual(['no-data']);
  });

  it.each([
    ['a group that comes back after other steps', JOURNEY.replace('{ name: done, request: GET /fast }', '{ name: done, request: GET /fast }\n      - { name: again, request: GET /fast, group: checkout }'), /journeys\.shop\.steps\[4\]\.group: puts this step in group "checkout" again after other steps/],
    ['a group in the setup', `setup: { steps: [{ name: login, request: POST /login, group: auth }] }\n${JOURNEY}`, /setup\.steps\[0\]\.group: has no meaning in a setup step/],
    ['a threshold on a group no step has', `${JOURNEY}thresholds: { "group_duration{group:chekout}": ["p(95)<500"] }\n`, /names group "chekout", which no journey step has.*did you mean \{group:checkout\}/],
    ['a nested k6 group', `${JOURNEY}thresholds: { "group_duration{group:::a::b}": ["p(95)<500"] }\n`, /"::a::b" is a nested group/],
  ])('refuses %s', (_name, body, message) => {
    expect(configErrorMessage(() => parse(`${HEAD}${body}`))).toMatch(message);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHistogram } from '../../src/record/histogram.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import type { RunRecord, StepTotals } from '../../src/record/run-record-types.js';
import { parseSelector, ThresholdError } from '../../src/threshold/threshold-expression.js';
import { startServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { profileWith, step } from '../helpers/profiles.js';
import { runProfile } from '../helpers/run-profile.js';
import { thresholdStatuses, type ThresholdRow } from '../helpers/threshold-statuses.js';

/** k6's `{expected_response:true}` and `{name:...}` selectors. */
describe('k6 selectors', () => {
  it('reads {name:...} as the step it names, and {expected_response:true} on http_req_duration', () => {
    expect(parseSelector('http_req_duration{name:login}')).toMatchObject({ metric: 'http_req_duration', step: 'login' });
    expect(parseSelector('http_req_waiting{scenario:s,name:login}')).toMatchObject({ step: 'login', scenario: 's' });
    expect(parseSelector('http_req_duration{expected_response:true}')).toMatchObject({ step: null, expectedResponse: true });
    expect(parseSelector('http_req_duration{expected_response:true,name:login}')).toMatchObject({ step: 'login', expectedResponse: true });
    // server_timing keeps {name:...} for its component.
    expect(parseSelector('server_timing{name:db}')).toMatchObject({ name: 'db', step: null });
  });

  it.each([
    ['http_req_duration{expected_response:false}', /selects nothing tailgate keeps apart.*Fix: write \{expected_response:true\}/],
    ['http_req_failed{expected_response:true}', /http_req_failed cannot be selected by expected_response/],
    ['http_req_duration{name:a,step:b}', /names a step twice.*Fix: keep one \{step:NAME\} or \{name:NAME\}/],
    ['http_req_duration{step:a,name:b}', /names a step twice/],
    ['checks{name:a}', /checks cannot be selected by name/],
  ])('refuses %s', (metric, message) => {
    expect(() => parseSelector(metric)).toThrow(ThresholdError);
    expect(() => parseSelector(metric)).toThrow(message);
  });

  describe('on a loopback target whose failures are fast and successes slow', () => {
    let server: LoopbackServer;
    let record: RunRecord;
    beforeAll(async () => {
      server = await startServer((req, res) => {
        req.resume();
        req.on('end', () => {
          if (req.url === '/fail') {
            res.statusCode = 500;
            res.end('no');
          } else setTimeout(() => res.end('ok'), 300);
        });
      });
      record = await runProfile(
        profileWith({
          target: server.url,
          journeys: [{ name: 'j', weight: 1, steps: [step('GET /ok', { name: 'ok' }), step('GET /fail', { name: 'fail' })] }],
          scenarios: [{ name: 's', executor: { type: 'constant-vus', vus: 2, durationMs: 800 } }],
        }),
      );
    }, 20_000);
    afterAll(() => server.close());

    it('keeps the failures out of {expected_response:true}, and {name:...} selects a step', () => {
      const overall = record.scenarios.s?.results?.overall as StepTotals;
      expect(overall.errors).toBeGreaterThan(0);
      expect(decodeHistogram(overall.expected as string).totalCount).toBe(overall.requests - overall.errors);
      const rows: ThresholdRow[] = [
        ['http_req_duration{expected_response:true}', 'min>=298', 'ok'],
        ['http_req_duration', 'min>=298', 'broken'],
        ['http_req_duration{expected_response:true,scenario:s}', 'p(50)<298', 'broken'],
        ['http_req_failed{name:fail}', 'rate==1', 'ok'],
        ['http_req_failed{name:ok}', 'rate>0', 'broken'],
        // No response of fail was expected: nothing to judge.
        ['http_req_duration{name:fail,expected_response:true}', 'max<1', 'no-data'],
      ];
      expect(thresholdStatuses(record, rows)).toEqual(rows);
    });

    it('has no data in a record older than it', () => {
      const results = record.scenarios.s?.results;
      if (!results) throw new Error('no results');
      const { expected: _e, ...overall } = results.overall;
      const older: RunRecord = { ...record, scenarios: { s: { ...(record.scenarios.s as NonNullable<RunRecord['scenarios'][string]>), results: { ...results, overall } } } };
      const read = parseRunRecord(JSON.stringify(older), 'old.json');
      const rows: ThresholdRow[] = [['http_req_duration{expected_response:true}', 'p(95)<1000', 'no-data']];
      expect(thresholdStatuses(read, rows)).toEqual(rows);
    });
  });
});

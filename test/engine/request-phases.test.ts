import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatRunSummary } from '../../src/cli/run-summary.js';
import { createHttpClient } from '../../src/engine/http-client.js';
import { buildPlan } from '../../src/plan/plan.js';
import { decodeHistogram } from '../../src/record/histogram.js';
import { decodeCounts } from '../../src/record/latency-counts.js';
import { mergeRecords } from '../../src/record/merge-records.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import { REQUEST_PHASES } from '../../src/record/request-phases.js';
import type { RunRecord, StepTotals } from '../../src/record/run-record-types.js';
import { startServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { profileWith, step } from '../helpers/profiles.js';
import { runProfile } from '../helpers/run-profile.js';
import { haveOpenssl, makeTestCertificates } from '../helpers/test-certificates.js';
import { thresholdStatuses, type ThresholdRow } from '../helpers/threshold-statuses.js';

const stepTotals = (record: RunRecord, name: string): StepTotals => record.scenarios.s?.results?.steps[name] as StepTotals;

/**
 * k6's per-phase timings (http_req_blocked ... http_req_receiving): kept per scenario and step,
 * and read by thresholds. Every bound asserted is one a busy machine can only make longer.
 */
describe('request phases over http', () => {
  let server: LoopbackServer;
  let record: RunRecord;
  beforeAll(async () => {
    // /late waits 40 ms before its headers; /slow-body sends its headers at once and its body 150 ms later.
    server = await startServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (req.url === '/slow-body') {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.flushHeaders();
          setTimeout(() => res.end('body'), 150);
        } else setTimeout(() => res.end('ok'), 40);
      });
    });
    const profile = profileWith({
      target: server.url,
      journeys: [{ name: 'j', weight: 1, steps: [step('GET /late', { name: 'late' }), step('GET /slow-body', { name: 'slow-body' })] }],
      scenarios: [{ name: 's', executor: { type: 'constant-vus', vus: 2, durationMs: 800 } }],
    });
    // Two VUs share one connection: each request waits for the other VU's (k6's http_req_blocked).
    record = await runProfile(profile, { wrapHttp: () => createHttpClient(server.url, { connections: 1 }) });
  }, 20_000);
  afterAll(() => server.close());

  it('records every phase of every answered request, per step', () => {
    for (const name of ['late', 'slow-body']) {
      const totals = stepTotals(record, name);
      expect(totals.requests).toBeGreaterThan(1);
      for (const phase of REQUEST_PHASES) expect(decodeHistogram(totals[phase] as string).totalCount, `${name} ${phase}`).toBe(totals.requests);
    }
  });

  it('reads them in thresholds, met and broken', () => {
    const rows: ThresholdRow[] = [
      ['http_req_blocked', 'p(50)>=30', 'ok'],
      ['http_req_blocked', 'p(50)<5', 'broken'],
      // One connection, opened by the first request: every later one reuses it (0, as k6 says).
      ['http_req_connecting', 'med==0', 'ok'],
      ['http_req_connecting', 'max==0', 'broken'],
      ['http_req_tls_handshaking', 'max==0', 'ok'],
      ['http_req_tls_handshaking', 'max>0', 'broken'],
      ['http_req_sending{step:late}', 'max<5000', 'ok'],
      ['http_req_sending{step:late}', 'min>5000', 'broken'],
      ['http_req_waiting{step:late}', 'min>=38', 'ok'],
      ['http_req_waiting{step:late}', 'p(99)<1', 'broken'],
      // Late headers shorten it (a busy client reads them late), so half the gap, not all of it.
      ['http_req_receiving{step:slow-body}', 'med>=75', 'ok'],
      ['http_req_receiving{scenario:s,step:slow-body}', 'max<10', 'broken'],
    ];
    expect(thresholdStatuses(record, rows)).toEqual(rows);
  });

  it('shows each step’s p95 of each in the run summary', () => {
    const summary = formatRunSummary(record).split('\n');
    const header = summary.findIndex((line) => line.startsWith('request phases p95 ms'));
    expect(summary[header]).toMatch(/blocked\s+connecting\s+tls_handshaking\s+sending\s+waiting\s+receiving$/);
    expect(summary.slice(header + 1, header + 4).map((line) => line.split(/\s{2,}/)[0])).toEqual(['late', 'slow-body', 'all steps']);
    // late's waiting (the fifth phase) is at least its server's 40 ms.
    expect(Number(summary[header + 1]?.trim().split(/\s+/)[5])).toBeGreaterThanOrEqual(38);
  });

  it('keeps them through reading and merging; an older record has no data for them', () => {
    const read = parseRunRecord(JSON.stringify(record), 'run.json');
    expect(stepTotals(read, 'late').blocked).toBe(stepTotals(record, 'late').blocked);
    const shard = (index: number): RunRecord => ({ ...record, meta: { ...record.meta, shard: { index, count: 2 } } });
    const merged = mergeRecords([
      { file: 'a.json', record: shard(1) },
      { file: 'b.json', record: shard(2) },
    ]);
    const count = (totals: StepTotals, phase: 'receiving'): number => decodeHistogram(totals[phase] as string).totalCount;
    expect(count(stepTotals(merged, 'slow-body'), 'receiving')).toBe(2 * count(stepTotals(record, 'slow-body'), 'receiving'));

    const results = record.scenarios.s?.results;
    if (!results) throw new Error('no results');
    const { blocked: _b, connecting: _c, tlsHandshaking: _t, sending: _s, receiving: _r, ...late } = results.steps.late as StepTotals;
    const older: RunRecord = { ...record, scenarios: { s: { ...(record.scenarios.s as NonNullable<RunRecord['scenarios'][string]>), results: { ...results, steps: { ...results.steps, late } } } } };
    expect(parseRunRecord(JSON.stringify(older), 'old.json').scenarios.s?.results?.steps.late?.blocked).toBeUndefined();
    const rows: ThresholdRow[] = [['http_req_blocked{step:late}', 'p(95)<1000', 'no-data']];
    expect(thresholdStatuses(older, rows)).toEqual(rows);
  });
});

/**
 * http_req_tls_handshaking on a target whose handshakes are slow: the TLS server takes each
 * accepted connection 150 ms late, so the client's TCP connect is at once and its handshake waits.
 */
describe.skipIf(!haveOpenssl())('request phases over https, with a slow TLS handshake', () => {
  const delayMs = 150;
  let tcp: Server;
  let url: string;
  let record: RunRecord;
  beforeAll(async () => {
    const certs = makeTestCertificates();
    const https = createHttpsServer({ cert: certs.serverCert, key: certs.serverKey, keepAliveTimeout: 30_000 }, (req, res) => {
      req.resume();
      res.end('ok');
    });
    tcp = createTcpServer((socket) => setTimeout(() => https.emit('connection', socket), delayMs));
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(tcp.address() as AddressInfo).port}`;
    const profile = profileWith({
      target: url,
      journeys: [{ name: 'j', weight: 1, steps: [step('GET /', { name: 'home' })] }],
      // A count, not a duration: a busy machine may take long over the handshake, and every request counts.
      scenarios: [{ name: 's', executor: { type: 'shared-iterations', vus: 1, iterations: 4, maxDurationMs: 20_000 } }],
    });
    const plan = buildPlan(profile);
    record = await runProfile(profile, { wrapHttp: () => createHttpClient(plan.origin, { connections: 1, tls: { ca: [certs.caPem] } }) });
    https.close();
  }, 30_000);
  afterAll(() => new Promise<void>((resolve) => tcp.close(() => resolve())));

  it('times the handshake apart from the connect, in the first request only', () => {
    const totals = stepTotals(record, 'home');
    expect(totals.errors).toBe(0);
    expect(totals.requests).toBe(4);
    const tls = decodeCounts(totals.tlsHandshaking as string);
    // One connection: one handshake, every later request 0 (the first bucket).
    expect(tls.indexes[0]).toBe(0);
    expect(tls.total - (tls.counts[0] as number)).toBe(1);
    const rows: ThresholdRow[] = [
      ['http_req_tls_handshaking', `max>=${delayMs - 10}`, 'ok'],
      ['http_req_tls_handshaking{step:home}', 'max<100', 'broken'],
      ['http_req_tls_handshaking', 'med==0', 'ok'],
      // The handshake is part of what the first request was blocked by, as in k6.
      ['http_req_blocked', `max>=${delayMs - 10}`, 'ok'],
      ['http_req_connecting', `max>=${delayMs - 10}`, 'broken'],
    ];
    expect(thresholdStatuses(record, rows)).toEqual(rows);
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import { respondAfter, startServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { captureIo } from './cli-io.js';

/** k6's { threshold, abortOnFail, delayAbortEval }: judged while the load runs, against a loopback server. */
describe('abortOnFail', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tailgate-abort-'));
  let server: LoopbackServer;
  beforeAll(async () => {
    // Every request takes at least 30 ms.
    server = await startServer((req, res) => respondAfter(res, req, 30));
  });
  afterAll(() => server.close());

  const profile = (duration: string, thresholds: string): string =>
    `target: ${server.url}\nwarmup: 200ms\nscenarios: { s: { executor: constant-vus, vus: 2, duration: ${duration} } }\njourneys: { j: { steps: [{ name: home, request: GET / }] } }\nthresholds:\n${thresholds}`;

  it('stops the run when an abortOnFail threshold breaks after its delay, says why, and exits 1', async () => {
    const file = join(dir, 'abort.yml');
    const out = join(dir, 'abort.json');
    writeFileSync(file, profile('60s', '  http_req_duration:\n    - "p(50)<100000"\n    - { threshold: "p(95)<10", abortOnFail: true, delayAbortEval: 500ms }\n'));
    const io = captureIo({});
    const started = Date.now();
    expect(await main(['run', '--config', file, '--out', out, '--quiet'], io)).toBe(1);
    // Planned for a minute; stopped after its delay and a look or two (each a second apart).
    expect(Date.now() - started).toBeLessThan(30_000);
    const record = parseRunRecord(readFileSync(out, 'utf8'), out);
    expect(record.meta.aborted).toMatchObject({ metric: 'http_req_duration', expression: 'p(95)<10' });
    expect(record.meta.aborted?.atMs).toBeGreaterThanOrEqual(500);
    expect(record.meta.aborted?.observed).toBeGreaterThanOrEqual(10);
    expect(record.meta.interrupted).toBe(false);
    expect(record.meta.measuredMs).toBeLessThan(30_000);
    expect(io.log.join('\n')).toMatch(/threshold http_req_duration: p\(95\)<10 was broken \d+\.\ds into the measurement \(observed [\d.]+\): abortOnFail stopped the run/);
    expect(io.unwrapped()).toMatch(/BROKEN http_req_duration: p\(95\)<10, observed [\d.]+ ms; aborted the run \d+\.\d s into the measurement, observed [\d.]+ ms then \(.*abort\.yml:\d+\)/);
    expect(io.out()).toMatch(/ok {5}http_req_duration: p\(50\)<100000/);

    // The comparison (against itself here) fails on it, and the comment says the threshold aborted the run.
    const markdown = join(dir, 'abort.md');
    const compared = captureIo({});
    expect(await main(['compare', '--baseline', out, '--current', out, '--config', file, '--markdown', markdown], compared)).toBe(1);
    expect(readFileSync(markdown, 'utf8')).toMatch(/threshold <code>p\(95\)&#60;10<\/code> on <code>http&#95;req&#95;duration<\/code> aborted the run after [\d.]+ s of measurement \(abortOnFail\)/);
  }, 40_000);

  it('lets the run finish when the threshold holds, or before its delay', async () => {
    const file = join(dir, 'holds.yml');
    const out = join(dir, 'holds.json');
    writeFileSync(
      file,
      profile('1500ms', '  http_req_duration:\n    - { threshold: "p(95)<100000", abortOnFail: true }\n  http_req_failed:\n    - { threshold: "rate<0.5", abortOnFail: true }\n  "http_req_duration{step:home}":\n    - { threshold: "p(95)<10", abortOnFail: true, delayAbortEval: 1h }\n'),
    );
    const io = captureIo({});
    // The delayed one is broken at the end (exit 1), but it never stopped the run.
    expect(await main(['run', '--config', file, '--out', out, '--quiet'], io)).toBe(1);
    const record = parseRunRecord(readFileSync(out, 'utf8'), out);
    expect(record.meta.aborted).toBeUndefined();
    expect(record.meta.measuredMs).toBeGreaterThanOrEqual(1200);
    expect(io.out()).not.toContain('aborted the run');
  }, 40_000);
});

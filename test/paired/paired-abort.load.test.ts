import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { parsePairedRecord } from '../../src/record/read-paired-record.js';
import { captureIo } from '../cli/cli-io.js';
import { respondAfter, startServer, type LoopbackServer } from '../helpers/loopback-server.js';

/** abortOnFail in paired mode: judged on the head's measurements while the load runs, against two loopback servers. */
describe('tailgate run --baseline-target with abortOnFail thresholds', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tailgate-paired-abort-'));
  let fast: LoopbackServer;
  let slow: LoopbackServer;
  beforeAll(async () => {
    [fast, slow] = await Promise.all([startServer((req, res) => respondAfter(res, req, 0)), startServer((req, res) => respondAfter(res, req, 200))]);
  });
  afterAll(() => Promise.all([fast.close(), slow.close()]));

  const profile = (name: string, duration: string, threshold: string): string => {
    const file = join(dir, `${name}.yml`);
    writeFileSync(
      file,
      `name: ${name}\ntarget: \${TARGET_URL}\nwarmup: 1s\nscenarios: { s: { executor: constant-vus, vus: 2, duration: ${duration} } }\njourneys: { j: { steps: [{ name: home, request: GET / }] } }\nthresholds:\n  http_req_duration:\n    - "p(50)<100000"\n    - ${threshold}\n`,
    );
    return file;
  };

  it('stops both targets when the head breaks one after its delay, marks both records aborted, and exits 1; compare re-judges it as broken', async () => {
    // Looks fall a second apart from the warm-up's end; the base's first block is measured from 2 s
    // to 4 s (ABBA after a 1.5 s head block and its 0.5 s settle). A delay of 2.5 s puts the first
    // look that may stop the run at about 3 s, with the base measured for a second, where a delay
    // of 2 s would put it at the very start of the base's measured part.
    const file = profile('head-slow', '60s', '{ threshold: "p(95)<100", abortOnFail: true, delayAbortEval: 2.5s }');
    const out = join(dir, 'aborted.json');
    const markdown = join(dir, 'aborted.md');
    const io = captureIo({ TARGET_URL: slow.url });
    const started = Date.now();
    const code = await main(['run', '--config', file, '--baseline-target', fast.url, '--out', out, '--markdown', markdown, '--quiet'], io);
    expect(code, `${io.out()}\n${io.log.join('\n')}`).toBe(1);
    // Planned for a minute; stopped after its delay and a look or two (each a second apart).
    expect(Date.now() - started).toBeLessThan(40_000);
    const paired = parsePairedRecord(readFileSync(out, 'utf8'), out);
    for (const arm of [paired.head, paired.base]) {
      expect(arm.meta.aborted).toMatchObject({ metric: 'http_req_duration', expression: 'p(95)<100' });
      expect(arm.meta.interrupted).toBe(false);
    }
    expect(paired.base.meta.aborted).toEqual(paired.head.meta.aborted);
    // The delay counts the run's time since the warm-up; what was seen is the head's (every answer 200 ms late).
    expect(paired.head.meta.aborted?.atMs).toBeGreaterThanOrEqual(2500);
    expect(paired.head.meta.aborted?.observed).toBeGreaterThanOrEqual(200);
    expect(paired.head.meta.measuredMs).toBeLessThan(30_000);
    expect(paired.head.overall.requests).toBeGreaterThan(0);
    expect(paired.base.overall.requests).toBeGreaterThan(0);
    expect(io.log.join('\n')).toMatch(/threshold http_req_duration: p\(95\)<100 was broken \d+\.\ds into the measurement \(observed [\d.]+\): abortOnFail stopped the run/);
    expect(io.unwrapped()).toMatch(/BROKEN http_req_duration: p\(95\)<100, observed [\d.]+ ms; aborted the run \d+\.\d s into the measurement/);
    expect(io.out()).toMatch(/ok {5}http_req_duration: p\(50\)<100000/);
    expect(readFileSync(markdown, 'utf8')).toMatch(/threshold <code>p\(95\)&#60;100<\/code> on <code>http&#95;req&#95;duration<\/code> aborted the run after [\d.]+ s of measurement \(abortOnFail\)/);

    const again = captureIo();
    expect(await main(['compare', '--current', out, '--config', file], again)).toBe(1);
    expect(again.out()).toMatch(/BROKEN http_req_duration: p\(95\)<100/);
  }, 60_000);

  it('does not stop for the base: a slow base and a fast head run to the end', async () => {
    const file = profile('base-slow', '4s', '{ threshold: "p(95)<100", abortOnFail: true }');
    const out = join(dir, 'whole.json');
    const io = captureIo({ TARGET_URL: fast.url });
    const code = await main(['run', '--config', file, '--baseline-target', slow.url, '--out', out, '--quiet'], io);
    const paired = parsePairedRecord(readFileSync(out, 'utf8'), out);
    expect(paired.head.meta.aborted, io.log.join('\n')).toBeUndefined();
    expect(paired.base.meta.aborted).toBeUndefined();
    // Every base answer took 200 ms, which the watch would have seen had it read the base.
    expect(paired.base.overall.requests).toBeGreaterThan(0);
    // 3 s measured: four blocks of 0.5 s measured each, two per target.
    expect(paired.order.length).toBeGreaterThanOrEqual(4);
    expect(paired.head.blocks.length).toBe(paired.order.filter((a) => a === 'head').length);
    expect(io.out()).not.toContain('aborted the run');
    expect(code, `${io.out()}\n${io.log.join('\n')}`).toBe(0);
  }, 40_000);
});

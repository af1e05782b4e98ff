import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Comparison } from '../../src/compare/comparison-types.js';
import { parsePairedRecord } from '../../src/record/read-paired-record.js';
import { captureIo } from '../cli/cli-io.js';
import { startArrivalServer, type ArrivalServer } from '../helpers/arrival-server.js';

const dir = mkdtempSync(join(tmpdir(), 'tailgate-paired-'));
const write = (name: string, text: string): string => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

/**
 * Closed model, so throughput is a question too: 10 VUs for 17 s, 1 s warm-up, then (with 1 s paired
 * blocks, no settle) 16 blocks: 8 pairs, so one pair that disagrees leaves the sign-flip test sure
 * (with 6 it could not go below 2/64).
 */
const PROFILE = `
name: paired-cli
target: \${TARGET_URL}
warmup: 1s
scenarios:
  steady:
    executor: constant-vus
    vus: 10
    duration: 17s
journeys:
  one:
    steps:
      - name: hello
        request: GET /hello
`;

let base: ArrivalServer;
let slow: ArrivalServer;
beforeAll(async () => {
  [base, slow] = await Promise.all([startArrivalServer(150), startArrivalServer(195)]);
});
afterAll(() => Promise.all([base.close(), slow.close()]));

describe('tailgate run --baseline-target', () => {
  it('runs both targets, writes the paired record, the comparison and the comment, exits 1 on a 30% slower head; compare re-judges the record', async () => {
    // The head by --target, so the record shows it (one from the environment, TARGET_URL, is a secret: ***).
    const io = captureIo({});
    const out = join(dir, 'paired.json');
    const json = join(dir, 'comparison.json');
    const markdown = join(dir, 'comment.md');
    const profile = write('p.yml', PROFILE);
    const code = await main(
      ['run', '--config', profile, '--target', slow.url, '--baseline-target', base.url, '--out', out, '--json', json, '--markdown', markdown, '--pair-block', '1s', '--pair-settle', '0s', '--quiet'],
      io,
    );
    const comparison = JSON.parse(readFileSync(json, 'utf8')) as Comparison;
    expect(code, `${io.out()}\n${io.log.join('\n')}`).toBe(1);
    expect(comparison.verdict).toBe('regression');
    expect(comparison.pairing?.baselineTarget).toBe(base.url);
    expect(comparison.pairing?.pairs).toBe(8);
    const paired = parsePairedRecord(readFileSync(out, 'utf8'), out);
    expect(paired.head.meta.target).toBe(slow.url);
    expect(paired.meta.pairing).toMatchObject({ blockMs: 1000, settleMs: 0, order: 'abba' });
    expect(readFileSync(markdown, 'utf8')).toMatch(/Paired with http.*127\.0\.0\.1:\d+ · 8 block pairs of 1 s · could detect/);
    expect(io.out()).toMatch(/verdict: REGRESSION \(check: failure\), paired with http:\/\/127\.0\.0\.1:\d+ · 8 block pairs/);

    // Re-judged with a 100% allowance, the same record passes.
    const again = captureIo();
    expect(await main(['compare', '--current', out, '--threshold', '99'], again)).toBe(0);
    expect(again.out()).toMatch(/verdict: pass/);
  }, 40_000);

  it('--max-duration cuts the run below the profile\'s length: 7 s of the 17, so 6 blocks of 1 s after the warm-up', async () => {
    const io = captureIo({});
    const out = join(dir, 'capped.json');
    const profile = write('capped.yml', PROFILE);
    const code = await main(['run', '--config', profile, '--target', base.url, '--baseline-target', base.url, '--out', out, '--pair-block', '1s', '--pair-settle', '0s', '--fixed', '--max-duration', '7s', '--quiet'], io);
    expect(code, io.log.join('\n')).not.toBe(2);
    const paired = parsePairedRecord(readFileSync(out, 'utf8'), out);
    expect(paired.order).toHaveLength(6);
    expect(io.log.join('\n')).toMatch(/7s \(--max-duration; the profile runs 17s\)/);
    const within = captureIo({});
    expect(await main(['run', '--config', profile, '--target', base.url, '--baseline-target', base.url, '--max-duration', '500ms', '--quiet'], within)).toBe(2);
    expect(within.log.join('\n')).toMatch(/--max-duration is within the profile's 1 s warm-up/);
  }, 30_000);

  it('refuses a base that is not a URL, and paired flags without --baseline-target', async () => {
    const profile = write('q.yml', PROFILE);
    const io = captureIo({ TARGET_URL: slow.url });
    expect(await main(['run', '--config', profile, '--baseline-target', 'production'], io)).toBe(2);
    expect(io.log.join('\n')).toMatch(/--baseline-target must be a URL/);
    const io2 = captureIo({ TARGET_URL: slow.url });
    expect(await main(['run', '--config', profile, '--json', 'x.json'], io2)).toBe(2);
    expect(io2.log.join('\n')).toMatch(/--json is for a paired run/);
    const io3 = captureIo({ TARGET_URL: slow.url });
    expect(await main(['run', '--config', profile, '--max-duration', '5s'], io3)).toBe(2);
    expect(io3.log.join('\n')).toMatch(/--max-duration is for a paired run/);
    const io4 = captureIo({ TARGET_URL: slow.url });
    expect(await main(['run', '--config', profile, '--baseline-target', base.url, '--max-duration', 'soon'], io4)).toBe(2);
    expect(io4.log.join('\n')).toMatch(/--max-duration must be a duration such as 45s or 2m \(got "soon"\)/);
  });

  it('compare without --baseline refuses a plain run record, naming the fix', async () => {
    const io = captureIo();
    const file = write('run.json', JSON.stringify({ schema: 'tailgate.run/v1' }));
    expect(await main(['compare', '--current', file], io)).toBe(2);
    expect(io.log.join('\n')).toMatch(/needs --baseline FILE .* unless --current is a paired record/);
  });
});

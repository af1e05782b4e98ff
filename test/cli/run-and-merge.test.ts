import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import { startServer, respondAfter, type LoopbackServer } from '../helpers/loopback-server.js';
import { captureIo } from './cli-io.js';

/**
 * `tailgate run` and `merge` where nothing asserted hangs on real rates or timing: flags, the
 * record's metadata, refusals before any load, and merge refusals. Runs are one second at 20/s;
 * `run-and-merge.load.test.ts` keeps the runs whose counts and common start are asserted.
 */

const dir = mkdtempSync(join(tmpdir(), 'tailgate-cli-'));
const write = (name: string, text: string): string => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

// Line for line the load file's profile (a threshold added below it is on line 18), shorter and slower.
const profile = (rate: number): string => `
name: cli-test
target: \${TARGET_URL}
block: 1s
scenarios:
  steady:
    executor: constant-arrival-rate
    rate: ${rate}
    duration: 1s
    preAllocatedVUs: 5
    maxVUs: 50
journeys:
  one:
    steps:
      - name: hello
        request: GET /hello
`;
const PROFILE = profile(20);

let server: LoopbackServer;
beforeAll(async () => {
  server = await startServer((req, res) => respondAfter(res, req, 1));
});
afterAll(() => server.close());

describe('tailgate run', () => {
  it('takes --target over the file and GitHub variables into the record', async () => {
    const io = captureIo({ GITHUB_SHA: 'abc123', GITHUB_REF: 'refs/pull/7/merge', GITHUB_RUN_ID: '99' });
    const out = join(dir, 'run-target.json');
    expect(await main(['run', '--config', write('p2.yml', PROFILE), '--target', server.url, '--out', out, '--quiet'], io)).toBe(0);
    const record = parseRunRecord(readFileSync(out, 'utf8'), out);
    expect(record.meta).toMatchObject({ target: server.url, commit: 'abc123', ref: 'refs/pull/7/merge', runId: '99' });
  });

  it('checks the thresholds after the run: a broken one exits 1 and names its line', async () => {
    const io = captureIo({ TARGET_URL: server.url });
    const file = write('slo.yml', `${PROFILE}thresholds:\n  http_req_duration: ["p(95)<0.001"]\n  http_req_failed: ["rate<0.01"]\n`);
    expect(await main(['run', '--config', file, '--quiet'], io)).toBe(1);
    expect(io.out()).toMatch(/thresholds: 1 met, 1 broken/);
    expect(io.unwrapped()).toMatch(/BROKEN http_req_duration: p\(95\)<0.001, observed [\d.]+ ms \(.*slo\.yml:18\)/);
  });

  it('refuses a threshold it cannot evaluate before any load', async () => {
    const io = captureIo({ TARGET_URL: server.url });
    const before = server.requests();
    const file = write('bad-slo.yml', `${PROFILE}thresholds:\n  http_req_duration: ["p95 < 500"]\n`);
    expect(await main(['run', '--config', file, '--quiet'], io)).toBe(2);
    expect(server.requests()).toBe(before);
    expect(io.log.join('\n')).toMatch(/bad-slo\.yml:18.*thresholds\.http_req_duration/);
  });

  it('exits 2 with the file, line and field for a bad config', async () => {
    const io = captureIo({ TARGET_URL: server.url });
    const file = write('bad.yml', PROFILE.replace('rate: 20', 'rate: fast'));
    expect(await main(['run', '--config', file], io)).toBe(2);
    expect(io.log.join('\n')).toMatch(/bad\.yml:\d+:\d+.*scenarios\.steady\.rate/);
  });

  it('exits 2 when the target is unreachable, before any load', async () => {
    // A target from the environment is a secret, its host:port too (as a refused connection quotes it).
    const io = captureIo({ TARGET_URL: 'http://127.0.0.1:1' });
    expect(await main(['run', '--config', write('p3.yml', PROFILE)], io)).toBe(2);
    expect(io.log.join('\n')).toMatch(/the target \*\*\* is unreachable/);
    expect(io.log.join('\n')).not.toContain('127.0.0.1:1');
    // One given on the command line is not, and the message names it.
    const shown = captureIo({});
    expect(await main(['run', '--config', write('p3.yml', PROFILE), '--target', 'http://127.0.0.1:1'], shown)).toBe(2);
    expect(shown.log.join('\n')).toMatch(/unreachable.*127\.0\.0\.1:1/);
  });

  it('exits 2 on unknown options and commands, pointing at --help', async () => {
    const io = captureIo();
    expect(await main(['run', '--confg', 'x.yml'], io)).toBe(2);
    expect(await main(['fly'], io)).toBe(2);
    expect(io.log.join('\n')).toMatch(/--confg[\s\S]*unknown command "fly"/);
  });

  it('prints help for every command', async () => {
    for (const command of ['run', 'merge', 'demo']) {
      const io = captureIo();
      expect(await main([command, '--help'], io)).toBe(0);
      expect(io.out()).toContain(`tailgate ${command}`);
    }
  });
});

describe('tailgate merge', () => {
  const runShard = async (shard: string, out: string, config = PROFILE): Promise<string> => {
    const io = captureIo();
    expect(await main(['run', '--config', write(`s-${shard[0]}.yml`, config), '--target', server.url, '--shard', shard, '--out', out, '--quiet'], io), io.log.join('\n')).toBe(0);
    return out;
  };

  it('refuses shards that ran one after the other, naming them, their times and the fix', async () => {
    const files = [await runShard('1/2', join(dir, 'apart-1.json')), await runShard('2/2', join(dir, 'apart-2.json'))];
    // Two short runs back to back can still share a moment of measuring; moved a minute later,
    // the second shard's record surely measured after the first had ended.
    const later = JSON.parse(readFileSync(files[1]!, 'utf8')) as { meta: { startedAt: string; endedAt: string } };
    const minuteLater = (iso: string): string => new Date(Date.parse(iso) + 60_000).toISOString();
    later.meta.startedAt = minuteLater(later.meta.startedAt);
    later.meta.endedAt = minuteLater(later.meta.endedAt);
    writeFileSync(files[1]!, JSON.stringify(later));
    const io = captureIo();
    const out = join(dir, 'apart-merged.json');
    expect(await main(['merge', ...files, '--out', out], io)).toBe(2);
    const log = io.log.join('\n');
    expect(log).toContain(`${files[0]}, ${files[1]}: did not run together`);
    expect(log).toMatch(/shard 1\/2 \(.*apart-1\.json\) measured \S+Z to \S+Z, shard 2\/2 \(.*apart-2\.json\) measured \S+Z to \S+Z/);
    expect(log).toMatch(/\(0%, a merge needs 80%\)/);
    expect(log).toContain('Fix: run the shards at the same time');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a --start-at it cannot read, one too far ahead, and one without --shard, before any load', async () => {
    const before = server.requests();
    const cases: Array<[string[], RegExp]> = [
      [['--shard', '1/2', '--start-at', 'soon'], /--start-at must be an ISO time with its zone.*\(got "soon"\)/],
      [['--shard', '1/2', '--start-at', String(Math.round(Date.now() / 1000) + 86_400)], /--start-at is 1440 min ahead .* more than the 10 min a shard waits/],
      [['--start-at', new Date().toISOString()], /--start-at goes with --shard I\/N/],
    ];
    for (const [flags, message] of cases) {
      const io = captureIo();
      expect(await main(['run', '--config', write('s.yml', PROFILE), '--target', server.url, '--quiet', ...flags], io)).toBe(2);
      expect(io.log.join('\n')).toMatch(message);
    }
    expect(server.requests()).toBe(before);
  });

  it('starts a shard already past its --start-at at once, with a warning', async () => {
    const io = captureIo();
    const at = new Date(Date.now() - 30_000).toISOString();
    expect(await main(['run', '--config', write('s.yml', PROFILE), '--target', server.url, '--shard', '2/2', '--start-at', at, '--quiet'], io)).toBe(0);
    expect(io.log.join('\n')).toMatch(new RegExp(`this shard starts \\d+(\\.\\d)? s after --start-at ${at.replace(/\./g, '\\.')}`));
  });

  it('refuses records of different profiles', async () => {
    const shard = await runShard('1/2', join(dir, 'shard-1.json'));
    const other = join(dir, 'other.json');
    expect(await main(['run', '--config', write('o.yml', profile(10)), '--target', server.url, '--out', other, '--quiet'], captureIo())).toBe(0);
    const io = captureIo();
    expect(await main(['merge', shard, other, '--out', join(dir, 'bad-merge.json')], io)).toBe(2);
    expect(io.log.join('\n')).toMatch(/other\.json: recorded profile cli-test \(hash \w+\), but .*shard-1\.json recorded cli-test \(hash \w+\)/);
  });
});

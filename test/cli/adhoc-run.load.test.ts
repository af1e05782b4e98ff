import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import { respondAfter, startServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { captureIo } from './cli-io.js';

const dir = mkdtempSync(join(tmpdir(), 'tailgate-adhoc-'));
let server: LoopbackServer;
const paths: string[] = [];
beforeAll(async () => {
  server = await startServer((req, res) => {
    paths.push(req.url ?? '');
    respondAfter(res, req, 2);
  });
});
afterAll(() => server.close());

describe('tailgate run URL (ad-hoc, no profile file)', () => {
  it('--vus N --duration D: N looping VUs GET the URL, through the same record and summary as --config', async () => {
    const io = captureIo();
    const out = join(dir, 'vus.json');
    expect(await main(['run', `${server.url}/api/items?page=2`, '--vus', '3', '--duration', '1500ms', '--out', out, '--quiet'], io)).toBe(0);
    const record = parseRunRecord(readFileSync(out, 'utf8'), out);
    expect(record.meta.profile.id).toBe('adhoc');
    expect(record.meta.target).toBe(server.url);
    expect(Object.keys(record.steps)).toEqual(['GET /api/items?page=2']);
    expect(record.scenarios.adhoc?.latencyFrom).toBe('actual-start');
    expect(record.overall.requests).toBeGreaterThan(50);
    expect(record.overall.errors).toBe(0);
    expect(new Set(paths)).toEqual(new Set(['/api/items?page=2']));
    expect(io.out()).toContain('profile adhoc');
    expect(io.out()).toContain('GET /api/items?page=2');
  });

  it('--rate R --duration D: R GETs started per second (open model)', async () => {
    const io = captureIo();
    const out = join(dir, 'rate.json');
    expect(await main(['run', server.url, '--rate', '40', '--duration', '2s', '--out', out, '--quiet'], io)).toBe(0);
    const record = parseRunRecord(readFileSync(out, 'utf8'), out);
    expect(record.scenarios.adhoc?.intendedIterations).toBe(80);
    expect(record.scenarios.adhoc?.latencyFrom).toBe('intended-start');
    expect(record.overall.requests).toBe(80);
    expect(Object.keys(record.steps)).toEqual(['GET /']);
  });

  it('a URL with ${...} or {{ }} in it is sent as written, not read as a placeholder', async () => {
    paths.length = 0;
    const io = captureIo({ HOME: '/should/not/appear' });
    expect(await main(['run', `${server.url}/x?q=\${HOME}&t={{ a }}`, '--vus', '1', '--duration', '300ms', '--quiet'], io)).toBe(0);
    expect(paths.length).toBeGreaterThan(0);
    expect(new Set(paths)).toEqual(new Set(['/x?q=$%7BHOME%7D&t=%7B%7B%20a%20%7D%7D']));
  });

  it.each([
    [['--vus', '2', '--rate', '10'], '--vus and --rate cannot be used together'],
    [['--vus', 'ten'], '--vus must be a whole number of VUs from 1 (got "ten"), e.g. --vus 10'],
    [['--vus', '0'], '--vus must be a whole number of VUs from 1 (got "0")'],
    [['--vus', '20000'], '--vus 20000 is more than the 10000 VUs a run may use'],
    [['--rate', '2.5'], '--rate must be a whole number of requests per second from 1 (got "2.5")'],
    [['--duration', '30'], '--duration must be a duration with a unit'],
    [['--duration', '0s'], '--duration must be longer than 0s'],
    [['--duration', '2h'], '--duration 2h is longer than a run may last (60m)'],
    [['--config', 'tailgate.yml'], 'give either a URL (an ad-hoc run) or --config tailgate.yml, not both'],
    [['--target', 'http://127.0.0.1:1'], '--target goes with --config; in an ad-hoc run the URL is the target'],
    [['http://127.0.0.1:2/'], 'tailgate run takes one URL, got 2'],
  ])('%j is refused before any load: exit 2 naming the flag and the fix', async (flags, message) => {
    const before = server.requests();
    const io = captureIo();
    expect(await main(['run', server.url, ...flags], io)).toBe(2);
    expect(io.log.join('\n')).toContain(message);
    expect(server.requests()).toBe(before);
  });

  it.each([
    [['run', 'localhost:3000', '--vus', '1'], 'is not an http or https URL'],
    [['run', 'not a url'], '"not a url" is not a URL; write the whole URL'],
    [['run', '--vus', '5'], 'tailgate run needs --config FILE (the load profile, e.g. tailgate.yml), or a URL for an ad-hoc run'],
    [['run', '--config', 'tailgate.yml', '--vus', '5'], "--vus is for an ad-hoc run (tailgate run URL --vus ...); with --config the profile's scenarios set the load"],
  ])('%j is refused: exit 2 with the fix', async (argv, message) => {
    const io = captureIo();
    expect(await main(argv, io)).toBe(2);
    expect(io.log.join('\n')).toContain(message);
  });

  it('an unreachable URL is exit 2 before any load, as with --config', async () => {
    const closed = await startServer((_req, res) => res.end());
    const url = closed.url;
    await closed.close();
    const io = captureIo();
    expect(await main(['run', url, '--vus', '1', '--duration', '1s', '--quiet'], io)).toBe(2);
    expect(io.log.join('\n')).toContain('is unreachable');
  });
});

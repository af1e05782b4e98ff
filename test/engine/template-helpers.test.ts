import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { parseProfile } from '../../src/config/load-profile.js';
import type { RunRecord } from '../../src/record/run-record-types.js';
import { captureIo } from '../cli/cli-io.js';
import { configErrorMessage } from '../helpers/config-problem.js';
import { startServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { runProfile } from '../helpers/run-profile.js';

/** randomIntBetween and uuidv4 in request templates, and the run's seed, against a loopback server. */
const dir = mkdtempSync(join(tmpdir(), 'tailgate-helpers-'));
writeFileSync(join(dir, 'users.csv'), 'name\nada\nbob\ncyd\ndee\neve\n');
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('template helpers and the seed', () => {
  let server: LoopbackServer;
  let seen: Array<{ url: string; header: string; body: string }>;
  beforeAll(async () => {
    server = await startServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ url: req.url ?? '', header: String(req.headers['x-request-id'] ?? ''), body });
        res.end('{}');
      });
    });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    seen = [];
  });

  it('fill paths, headers and JSON bodies: whole numbers in the range, both ends included, and a fresh v4 UUID each call', async () => {
    const profile = parseProfile(
      `target: ${server.url}
scenarios: { s: { executor: shared-iterations, vus: 2, iterations: 60 } }
journeys:
  j:
    steps:
      - request: "POST /items/{{ randomIntBetween(1, 3) }}?neg={{randomIntBetween(-2,-1)}}"
        headers: { x-request-id: "{{ uuidv4() }}" }
        body: { quantity: "{{ randomIntBetween(5, 5) }}", ref: "{{ uuidv4() }}", note: "n{{ randomIntBetween(0, 9) }}" }
`,
      { file: join(dir, 'p.yml'), env: {} },
    );
    await runProfile(profile);
    expect(seen).toHaveLength(60);
    const items = new Set(seen.map((s) => /^\/items\/(\d+)\?/.exec(s.url)?.[1]));
    expect([...items].sort()).toEqual(['1', '2', '3']);
    expect(new Set(seen.map((s) => new URL(s.url, 'http://x').searchParams.get('neg')))).toEqual(new Set(['-2', '-1']));
    for (const s of seen) {
      expect(s.header).toMatch(UUID_V4);
      const body = JSON.parse(s.body) as { quantity: unknown; ref: string; note: string };
      expect(body.quantity).toBe(5); // a whole placeholder keeps its JSON type
      expect(body.ref).toMatch(UUID_V4);
      expect(body.ref).not.toBe(s.header);
      expect(body.note).toMatch(/^n\d$/);
    }
    expect(new Set(seen.map((s) => s.header)).size).toBe(60);
  }, 20_000);

  /** Each VU's requests, by VU and iteration, as the server saw them. */
  const requestsOf = (): string[] => seen.map((s) => `${s.url} ${s.header}`).sort();

  const profileFile = (extra = ''): string => {
    const file = join(dir, `seeded-${Math.random().toString(36).slice(2)}.yml`);
    writeFileSync(
      file,
      `target: ${server.url}
${extra}data: { users: { file: users.csv, pick: random } }
scenarios: { s: { executor: per-vu-iterations, vus: 3, iterations: 4 } }
journeys:
  a: { weight: 1, steps: [{ request: "GET /a?vu={{ __VU }}&iter={{ __ITER }}&user={{ users.name }}&n={{ randomIntBetween(1, 1000000) }}", headers: { x-request-id: "{{ uuidv4() }}" } }] }
  b: { weight: 1, steps: [{ request: "GET /b?vu={{ __VU }}&iter={{ __ITER }}&user={{ users.name }}&n={{ randomIntBetween(1, 1000000) }}", headers: { x-request-id: "{{ uuidv4() }}" } }] }
`,
    );
    return file;
  };

  const run = async (args: string[]): Promise<{ requests: string[]; record: RunRecord; log: string }> => {
    seen = [];
    const out = join(dir, `run-${Math.random().toString(36).slice(2)}.json`);
    const io = captureIo({});
    expect(await main(['run', ...args, '--quiet', '--out', out], io)).toBe(0);
    return { requests: requestsOf(), record: JSON.parse(readFileSync(out, 'utf8')) as RunRecord, log: io.log.join('\n') };
  };

  it('repeat exactly for the same --seed (journeys, random rows, helpers), differ for another, and the seed is recorded', async () => {
    const file = profileFile();
    const first = await run(['--config', file, '--seed', '7']);
    const again = await run(['--config', file, '--seed', '7']);
    const other = await run(['--config', file, '--seed', '8']);
    expect(first.requests).toHaveLength(12);
    expect(again.requests).toEqual(first.requests);
    expect(other.requests).not.toEqual(first.requests);
    expect(first.record.meta.seed).toBe(7);
    expect(first.log).toMatch(/, seed 7$/m);
    // The random rows are not all one row, nor the journeys all one journey.
    expect(new Set(first.requests.map((r) => /user=(\w+)/.exec(r)?.[1])).size).toBeGreaterThan(1);
    expect(new Set(first.requests.map((r) => r.slice(0, 2))).size).toBe(2);
  }, 30_000);

  it('without a seed, draw a fresh one, print and record it, so that --seed repeats the run; the profile’s seed: works too', async () => {
    const file = profileFile();
    const fresh = await run(['--config', file]);
    const seed = fresh.record.meta.seed as number;
    expect(Number.isInteger(seed)).toBe(true);
    expect(fresh.log).toContain(`, seed ${seed}`);
    expect((await run(['--config', file, '--seed', String(seed)])).requests).toEqual(fresh.requests);
    const seeded = profileFile(`seed: ${seed}\n`);
    const inspect = captureIo({});
    expect(await main(['inspect', '--config', seeded], inspect)).toBe(0);
    expect(inspect.out()).toContain(`seed ${seed} (journeys, think times, random rows and helpers repeat)`);
    const fromProfile = await run(['--config', seeded]);
    expect(fromProfile.record.meta.seed).toBe(seed);
    expect(fromProfile.requests).toEqual(fresh.requests);
  }, 30_000);

  it('gives each shard of one seed its own draws, and a merge of them keeps the seed; shards of two seeds merge without one', async () => {
    const file = profileFile();
    const one = await run(['--config', file, '--seed', '7', '--shard', '1/2']);
    const two = await run(['--config', file, '--seed', '7', '--shard', '2/2']);
    const ids = (requests: string[]): string[] => requests.map((r) => r.split(' ')[1] as string);
    expect(ids(one.requests).filter((id) => ids(two.requests).includes(id))).toEqual([]);
    const other = await run(['--config', file, '--seed', '8', '--shard', '2/2']);
    const merged = async (records: RunRecord[]): Promise<RunRecord> => {
      // The shards ran one after the other, so each one's requests can be told apart; merge takes
      // only shards that ran together, so each is dated as the first one was.
      const startedAt = records[0]?.meta.startedAt as string;
      const files = records.map((record, i) => {
        const path = join(dir, `shard-${i}-${Math.random().toString(36).slice(2)}.json`);
        writeFileSync(path, JSON.stringify({ ...record, meta: { ...record.meta, startedAt } }));
        return path;
      });
      const out = join(dir, `merged-${Math.random().toString(36).slice(2)}.json`);
      expect(await main(['merge', ...files, '--out', out], captureIo({}))).toBe(0);
      return JSON.parse(readFileSync(out, 'utf8')) as RunRecord;
    };
    expect((await merged([one.record, two.record])).meta.seed).toBe(7);
    expect((await merged([one.record, other.record])).meta).not.toHaveProperty('seed');
  }, 30_000);

  it('refuses a --seed that is not a whole number a record keeps', async () => {
    for (const bad of ['-1', '1.5', 'abc', '4294967296']) {
      const io = captureIo({});
      expect(await main(['run', '--config', profileFile(), `--seed=${bad}`], io)).toBe(2);
      expect(io.log.join('\n')).toContain(`--seed must be a whole number from 0 to 4294967295 (got "${bad}")`);
    }
  });

  const bad = (request: string, extra = ''): string =>
    configErrorMessage(() =>
      parseProfile(`target: http://x\n${extra}scenarios: { s: { executor: constant-vus, duration: 1s } }\njourneys: { j: { steps: [{ request: "${request}" }] } }\n`, { file: 'h.yml', env: {} }),
    );

  it.each([
    ['an unknown helper', 'GET /{{ randomInt(1, 9) }}', 'h.yml:3:37 journeys.j.steps[0].request: {{ randomInt(1, 9) }}: randomInt() is not a template helper. Fix: use randomIntBetween(min, max) or uuidv4()'],
    ['min above max', 'GET /{{ randomIntBetween(9, 1) }}', 'journeys.j.steps[0].request: {{ randomIntBetween(9, 1) }}: randomIntBetween(9, 1): min is larger than max. Fix: write randomIntBetween(1, 9)'],
    ['one argument', 'GET /{{ randomIntBetween(9) }}', 'randomIntBetween takes two arguments, min and max (got 1). Fix: write two whole numbers'],
    ['a fraction', 'GET /{{ randomIntBetween(1, 2.5) }}', 'randomIntBetween takes whole numbers (got 2.5)'],
    ['uuidv4 with an argument', 'GET /{{ uuidv4(4) }}', 'uuidv4() takes no arguments (got 1). Fix: write {{ uuidv4() }}'],
  ])('refuses %s, naming the line, field and fix', (_, request, expected) => {
    expect(bad(request)).toContain(expected);
  });

  it.each([
    ['a fraction', '1.5'],
    ['negative', '-3'],
    ['more than a record keeps', '4294967296'],
  ])('refuses a profile seed that is %s', (_, seed) => {
    expect(bad('GET /', `seed: ${seed}\n`)).toContain(`h.yml:2:7 seed: must be a whole number from 0 to 4294967295 (got ${seed}). Fix: write seed: 42`);
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { startServer, respondAfter, type LoopbackServer } from '../helpers/loopback-server.js';
import { captureIo } from './cli-io.js';

/**
 * Values a profile takes from the environment outside its headers (a query parameter, part of
 * the target) are sent, but never shown: not on the terminal, not in the run record, the HTML
 * report, the comparison's JSON or markdown, nor in `inspect`'s plan. And a URL refused for
 * holding credentials is quoted without them.
 */
const API_KEY = 'key-9d41be0c6f2a';
const TENANT = 'tenant-5e8a77c1';
const PASSWORD = 'hunter2-b7e1c9';

const dir = mkdtempSync(join(tmpdir(), 'tailgate-secrets-'));
const write = (name: string, text: string): string => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

let server: LoopbackServer;
const paths: string[] = [];
beforeAll(async () => {
  server = await startServer((req, res) => {
    paths.push(req.url ?? '');
    respondAfter(res, req, 1);
  });
});
afterAll(() => server.close());

const profile = (): string => `
name: secret-names
target: ${server.url}/\${TENANT}
block: 1s
scenarios:
  steady: { executor: constant-arrival-rate, rate: 40, duration: 2s, preAllocatedVUs: 2, maxVUs: 10 }
journeys:
  one:
    steps:
      - request: GET /items?api_key=\${API_KEY}
`;

describe('values from the environment outside headers', () => {
  it('go to the target, and show as *** in every output', async () => {
    const config = write('p.yml', profile());
    const env = { API_KEY, TENANT };
    const outputs = { record: join(dir, 'run.json'), html: join(dir, 'run.html'), json: join(dir, 'cmp.json'), markdown: join(dir, 'cmp.md'), cmpHtml: join(dir, 'cmp.html') };
    const run = captureIo(env);
    expect(await main(['run', '--config', config, '--out', outputs.record, '--html', outputs.html, '--quiet'], run)).toBe(0);
    // The load itself carries the real values.
    expect(paths).toContain(`/${TENANT}/items?api_key=${API_KEY}`);

    const compare = captureIo(env);
    await main(['compare', '--baseline', outputs.record, '--current', outputs.record, '--json', outputs.json, '--markdown', outputs.markdown, '--html', outputs.cmpHtml], compare);
    const inspect = captureIo(env);
    expect(await main(['inspect', '--config', config], inspect)).toBe(0);

    const record = JSON.parse(readFileSync(outputs.record, 'utf8')) as { meta: { target: string }; steps: Record<string, unknown> };
    expect(Object.keys(record.steps)).toEqual(['GET /items?api_key=***']);
    expect(record.meta.target).toBe(`${server.url}/***`);
    const shown = {
      terminal: [run, compare, inspect].map((io) => `${io.out()}\n${io.err()}\n${io.log.join('\n')}`).join('\n'),
      ...Object.fromEntries(Object.entries(outputs).map(([name, file]) => [name, readFileSync(file, 'utf8')])),
    };
    expect(shown.terminal).toContain('GET /items?api_key=***');
    for (const [where, text] of Object.entries(shown)) {
      expect(text.includes(API_KEY), `${where} shows API_KEY`).toBe(false);
      expect(text.includes(TENANT), `${where} shows TENANT`).toBe(false);
    }
  }, 30_000);
});

describe('URLs refused for their credentials', () => {
  it.each([
    ['--target', ['run', '--config', '<config>', '--target', `https://ci:${PASSWORD}@127.0.0.1:1/`, '--quiet'], 'no user name or password (pass those in a header'],
    ['--baseline-target', ['run', '--config', '<config>', '--target', 'http://127.0.0.1:1', '--baseline-target', `http://ci:${PASSWORD}@127.0.0.1:1/`, '--quiet'], '--baseline-target must not carry a user name or password'],
    ['an ad-hoc URL', ['run', `ftp://ci:${PASSWORD}@127.0.0.1:1/`, '--quiet'], 'ftp://***:***@127.0.0.1:1/'],
  ])('%s is quoted without its password', async (_flag, argv, said) => {
    const config = write('c.yml', profile());
    const io = captureIo({ API_KEY, TENANT });
    expect(await main(argv.map((a) => (a === '<config>' ? config : a)), io)).toBe(2);
    const printed = `${io.out()}\n${io.err()}\n${io.log.join('\n')}`;
    expect(printed).toContain(said);
    expect(printed).not.toContain(PASSWORD);
  });
});

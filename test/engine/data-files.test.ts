import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { parseCsv } from '../../src/config/data-files.js';
import { parseProfile } from '../../src/config/load-profile.js';
import { captureIo } from '../cli/cli-io.js';
import { startServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { runProfile } from '../helpers/run-profile.js';
import { configErrorMessage } from '../helpers/config-problem.js';

/** Values from CSV and JSON files next to the profile, `{{ set.column }}` in steps, against a loopback server. */
const dir = mkdtempSync(join(tmpdir(), 'tailgate-data-'));
const write = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
write('users.csv', 'name,password\nada,"pa,ss"\r\nbob,"say ""hi"""\ncyd,x\n');
write('ids.json', '[{"id": 7, "sku": "A"}, {"id": 8, "sku": "B"}]');

describe('data files', () => {
  let server: LoopbackServer;
  /** The logins, in order. */
  let logins: Array<{ name: string; password: string }>;
  beforeAll(async () => {
    server = await startServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.url === '/login') logins.push(JSON.parse(body) as { name: string; password: string });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    logins = [];
  });

  const profile = (pick: string, vus: number) =>
    parseProfile(
      `target: ${server.url}\ndata: { users: { file: users.csv, pick: ${pick} } }\nscenarios: { s: { executor: per-vu-iterations, vus: ${vus}, iterations: 4 } }\njourneys: { j: { steps: [{ request: POST /login, body: { name: "{{ users.name }}", password: "{{ users.password }}" } }] } }\n`,
      { file: join(dir, 'data.yml'), env: {} },
    );

  it('reads a CSV once (quotes, commas, CRLF) and hands out its rows round-robin', async () => {
    await runProfile(profile('round-robin', 1));
    expect(logins.map((l) => l.name)).toEqual(['ada', 'bob', 'cyd', 'ada']);
    expect(logins.slice(0, 2).map((l) => l.password)).toEqual(['pa,ss', 'say "hi"']);
  }, 20_000);

  it('gives each VU its own row for all its iterations with pick: per-vu', async () => {
    await runProfile(profile('per-vu', 3));
    expect(logins).toHaveLength(12);
    const byName = new Map<string, number>();
    for (const l of logins) byName.set(l.name, (byName.get(l.name) ?? 0) + 1);
    expect(Object.fromEntries(byName)).toEqual({ ada: 4, bob: 4, cyd: 4 });
  }, 20_000);

  it('picks any row with pick: random', async () => {
    await runProfile(profile('random', 2));
    expect(logins).toHaveLength(8);
    for (const l of logins) expect(['ada', 'bob', 'cyd']).toContain(l.name);
  }, 20_000);

  it('reads a JSON list of objects; inspect lists the data sets', async () => {
    const file = write(
      'json.yml',
      `target: ${server.url}\ndata: { items: { file: ids.json } }\nscenarios: { s: { executor: shared-iterations, iterations: 2 } }\njourneys: { j: { steps: [{ request: "GET /items/{{ items.id }}?sku={{ items.sku }}" }] } }\n`,
    );
    const io = captureIo({});
    expect(await main(['inspect', '--config', file], io)).toBe(0);
    expect(io.out()).toContain('data\n  items: ids.json, 2 row(s), round-robin; {{ items.id | sku }}');
    const loaded = parseProfile(`target: ${server.url}\ndata: { items: { file: ids.json } }\nscenarios: { s: { executor: shared-iterations, iterations: 2 } }\njourneys: { j: { steps: [{ request: "GET /items/{{ items.id }}" }] } }\n`, {
      file: file,
      env: {},
    });
    expect(loaded.data?.[0]).toMatchObject({ name: 'items', columns: ['id', 'sku'], rows: [['7', 'A'], ['8', 'B']] });
  });

  const rows: Array<{ name: string; files?: Record<string, string>; yaml: string; expected: string }> = [
    { name: 'a missing file', yaml: 'data: { users: { file: nope.csv } }\n', expected: `data.users.file: cannot read "${join(dir, 'nope.csv')}" (ENOENT). Fix: give the path relative to the profile's folder (${dir})` },
    { name: 'a row with a field too many', files: { 'bad.csv': 'name,password\nada,x\nbob,y,z\n' }, yaml: 'data: { users: { file: bad.csv } }\n', expected: 'data.users.file: bad.csv:3: has 3 field(s), the header 2 (name, password). Fix: give every row one value per column; quote a value that holds a comma' },
    { name: 'a column name that cannot be a variable', files: { 'col.csv': 'user name,password\nada,x\n' }, yaml: 'data: { users: { file: col.csv } }\n', expected: 'data.users.file: col.csv:1: the column name "user name" cannot be used as {{ set.user name }}' },
    { name: 'an open quote', files: { 'quote.csv': 'name\n"ada\n' }, yaml: 'data: { users: { file: quote.csv } }\n', expected: 'quote.csv:2: a quoted field is not closed' },
    { name: 'a header and no rows', files: { 'empty.csv': 'name\n' }, yaml: 'data: { users: { file: empty.csv } }\n', expected: 'data.users.file: empty.csv holds no rows below its header. Fix: add at least one row of values' },
    { name: 'JSON that is not a list of flat objects', files: { 'nested.json': '[{"a": {"b": 1}}]' }, yaml: 'data: { users: { file: nested.json } }\n', expected: "nested.json: item 0's a is a list or object" },
    { name: 'a column the file lacks', yaml: 'data: { users: { file: users.csv } }\n', expected: 'uses {{ users.nme }}, but users.csv has no column nme (columns: name, password). Fix: name one of its columns' },
    { name: 'an unknown pick', yaml: 'data: { users: { file: users.csv, pick: sequential } }\n', expected: 'data.users.pick: must be one of round-robin, per-vu, random (got "sequential")' },
  ];

  it.each(rows)('refuses $name, naming the file, line and fix', ({ files, yaml, expected }) => {
    for (const [name, text] of Object.entries(files ?? {})) write(name, text);
    const yamlText = `target: http://x\n${yaml}scenarios: { s: { executor: constant-vus, duration: 1s } }\njourneys: { j: { steps: [{ request: "GET /{{ users.nme }}" }] } }\n`;
    expect(configErrorMessage(() => parseProfile(yamlText, { file: join(dir, 'bad.yml'), env: {} }))).toContain(expected);
  });

  it('refuses a data set no profile field names', () => {
    expect(() =>
      parseProfile('target: http://x\nscenarios: { s: { executor: constant-vus, duration: 1s } }\njourneys: { j: { steps: [{ request: "GET /{{ people.name }}" }] } }\n', { file: join(dir, 'x.yml'), env: {} }),
    ).toThrow('uses {{ people.name }}, but no data set is named people. Fix: add data: { people: { file: people.csv } }');
  });

  it('parses CSV fields as RFC 4180 writes them', () => {
    expect(parseCsv('\uFEFFa,b\n"x\ny",""\n,z')).toEqual({ columns: ['a', 'b'], rows: [['x\ny', ''], ['', 'z']] });
  });
});

import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import schema from '../../schema/tailgate.schema.json' with { type: 'json' };
import { ConfigError, formatField, formatProblem } from '../../src/config/config-error.js';
import { loadProfile, parseProfile } from '../../src/config/load-profile.js';

const DESIGN_EXAMPLE = 'test/fixtures/design-example.yml';
/** DESIGN.md is the contract; where it is at hand, the fixture must be its example, byte for byte. */
const DESIGN_MD = ['DESIGN.md', '/work/shared/DESIGN.md'].find((path) => existsSync(path));
const env = { TARGET_URL: 'https://pr-42.preview.example.com/', API_TOKEN: 'tok-123' };

describe('the DESIGN.md example', () => {
  it.skipIf(DESIGN_MD === undefined)('is the example printed in DESIGN.md', () => {
    const design = readFileSync(DESIGN_MD as string, 'utf8');
    const fixture = readFileSync(DESIGN_EXAMPLE, 'utf8').replace(/^#.*\n/gm, '');
    const inDesign = /## Config file \(contract\)[\s\S]*?```yaml\n([\s\S]*?)```/.exec(design)?.[1];
    expect(fixture).toBe(inDesign);
  });

  it('loads and means what it says', async () => {
    const profile = await loadProfile(DESIGN_EXAMPLE, { env });
    expect(profile.id).toBe('design-example');
    expect(profile.file).toBe(DESIGN_EXAMPLE);
    expect(profile.target).toBe('https://pr-42.preview.example.com');
    expect(profile.headers).toEqual({ authorization: 'Bearer tok-123' });
    expect(profile.secrets).toEqual(['https://pr-42.preview.example.com/', 'tok-123', 'pr-42.preview.example.com:443', 'pr-42.preview.example.com']);
    expect(profile.timeoutMs).toBe(10_000);
    expect(profile.warmupMs).toBe(5_000);
    expect(profile.blockMs).toBe(1_000);

    expect(profile.scenarios).toEqual([
      {
        name: 'browse',
        executor: { type: 'constant-arrival-rate', rate: 50, timeUnitMs: 1000, durationMs: 60_000, preAllocatedVUs: 20, maxVUs: 200 },
        startTimeMs: 0,
        gracefulStopMs: 30_000,
        journeys: ['shopper', 'buyer'],
      },
      {
        name: 'ramp',
        executor: {
          type: 'ramping-vus',
          startVUs: 1,
          stages: [
            { durationMs: 30_000, target: 20 },
            { durationMs: 30_000, target: 0 },
          ],
          gracefulRampDownMs: 30_000,
        },
        startTimeMs: 60_000,
        gracefulStopMs: 30_000,
        journeys: ['shopper'],
      },
    ]);

    expect(profile.journeys).toEqual([
      {
        name: 'shopper',
        weight: 4,
        steps: [
          {
            name: 'list',
            method: 'GET',
            path: '/api/products',
            headers: {},
            expect: [200],
            capture: { productId: '$.items[0].id' },
            think: { minMs: 1000, maxMs: 3000 },
            timeoutMs: 10_000,
          },
          { name: 'detail', method: 'GET', path: '/api/products/{{ productId }}', headers: {}, capture: {}, timeoutMs: 10_000 },
        ],
      },
      {
        name: 'buyer',
        weight: 1,
        steps: [
          {
            name: 'checkout',
            method: 'POST',
            path: '/api/orders',
            headers: {},
            body: { kind: 'json', value: { productId: 7, quantity: 1 } },
            expect: [200, 201],
            capture: {},
            timeoutMs: 10_000,
          },
        ],
      },
    ]);

    const at = (line: number) => ({ file: DESIGN_EXAMPLE, line, column: 3 });
    // Parsed once, here: nothing downstream reads the expressions' text again.
    const all = (metric: string) => ({ metric, step: null, scenario: null, check: null });
    expect(profile.thresholds).toEqual([
      { metric: 'http_req_duration', expressions: ['p(95)<500'], location: at(37), selector: all('http_req_duration'), parsed: [{ aggregation: { kind: 'percentile', percentile: 95 }, operator: '<', limit: 500 }] },
      {
        metric: 'http_req_duration{step:checkout}',
        expressions: ['p(99)<800'],
        location: at(38),
        selector: { ...all('http_req_duration'), step: 'checkout' },
        parsed: [{ aggregation: { kind: 'percentile', percentile: 99 }, operator: '<', limit: 800 }],
      },
      { metric: 'http_req_failed', expressions: ['rate<0.01'], location: at(39), selector: all('http_req_failed'), parsed: [{ aggregation: { kind: 'rate' }, operator: '<', limit: 0.01 }] },
    ]);
    expect(profile.regression).toEqual({ p95Pct: 10, throughputPct: 10, alpha: 0.05 });
  });

  it('is valid against the published schema as written, ${VAR} and all (as an editor sees it)', () => {
    const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(schema);
    expect(validate(parse(readFileSync(DESIGN_EXAMPLE, 'utf8')))).toBe(true);
  });
});

describe('defaults', () => {
  it('fills every optional field as k6 does', async () => {
    const profile = await loadProfile('test/fixtures/all-executors.yml', { env: {} });
    expect(profile.id).toBe('all-executors');
    expect(profile.target).toBe('http://127.0.0.1:3000/api');
    expect(profile).toMatchObject({ headers: {}, timeoutMs: 60_000, warmupMs: 0, blockMs: 1_000, thresholds: [], regression: {}, secrets: [] });
    const byName = Object.fromEntries(profile.scenarios.map((s) => [s.name, s]));
    expect(byName.steady).toEqual({
      name: 'steady',
      executor: { type: 'constant-vus', vus: 1, durationMs: 60_000 },
      startTimeMs: 0,
      gracefulStopMs: 30_000,
      journeys: ['health'],
    });
    expect(byName.ramp?.executor).toEqual({
      type: 'ramping-vus',
      startVUs: 1,
      stages: [
        { durationMs: 10_000, target: 5 },
        { durationMs: 0, target: 10 },
        { durationMs: 20_000, target: 0 },
      ],
      gracefulRampDownMs: 30_000,
    });
    expect(byName.open?.executor).toEqual({
      type: 'constant-arrival-rate',
      rate: 120,
      timeUnitMs: 60_000,
      durationMs: 30_000,
      preAllocatedVUs: 4,
      maxVUs: 4,
    });
    expect(byName.spike).toMatchObject({
      startTimeMs: 90_000,
      gracefulStopMs: 5_000,
      executor: { type: 'ramping-arrival-rate', startRate: 0, timeUnitMs: 1000, preAllocatedVUs: 10, maxVUs: 40 },
    });
    const [health, echo] = profile.journeys[0]?.steps ?? [];
    expect(profile.journeys[0]?.weight).toBe(1);
    expect(health).toEqual({ name: 'GET /health', method: 'GET', path: '/health', headers: {}, capture: {}, timeoutMs: 60_000 });
    expect(echo).toMatchObject({
      name: 'POST /echo',
      headers: { 'content-type': 'text/plain' },
      body: { kind: 'text', value: 'plain text body' },
      think: { minMs: 250, maxMs: 250 },
      timeoutMs: 2_000,
    });
  });

  it('names a step by its request line unless it has a name', () => {
    const profile = parseProfile(
      `target: http://x
scenarios: { s: { executor: constant-vus, duration: 1s } }
journeys:
  j:
    steps:
      - { request: "GET   /a", capture: { id: $.id } }
      - request: GET /a/{{ id }}
`,
      { file: 'x.yaml', env: {} },
    );
    expect(profile.journeys[0]?.steps.map((s) => [s.name, s.method, s.path])).toEqual([
      ['GET /a', 'GET', '/a'],
      ['GET /a/{{ id }}', 'GET', '/a/{{ id }}'],
    ]);
  });

  it('takes the id from name: before the file name', () => {
    const profile = parseProfile(`name: checkout-api\ntarget: http://x\nscenarios: { s: { executor: constant-vus, duration: 1s } }\njourneys: { j: { steps: [{ request: GET / }] } }\n`, {
      file: 'configs/my profile.yml',
      env: {},
    });
    expect(profile.id).toBe('checkout-api');
  });

  it.each([
    ['http://localhost:3000', 'http://localhost:3000'],
    ['http://localhost:3000/', 'http://localhost:3000'],
    ['https://Example.COM:443/base/', 'https://example.com/base'],
    ['https://example.com/a/b//', 'https://example.com/a/b'],
    ['http://[::1]:8080', 'http://[::1]:8080'],
  ])('normalizes target %s to %s', (target, normalized) => {
    const yaml = `target: "${target}"\nscenarios: { s: { executor: constant-vus, duration: 1s } }\njourneys: { j: { steps: [{ request: GET / }] } }\n`;
    expect(parseProfile(yaml, { file: 't.yml', env: {} }).target).toBe(normalized);
  });
});

describe('loadProfile', () => {
  it('turns a missing file into a ConfigError with the fix', async () => {
    const error = await loadProfile('test/fixtures/nope.yml', { env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/^test\/fixtures\/nope\.yml: cannot read the config file .*nope\.yml \(ENOENT\)\. Fix: check the path given to --config/);
  });

  it('refuses a folder', async () => {
    const error = await loadProfile('test/fixtures', { env: {} }).catch((e: unknown) => e);
    expect((error as ConfigError).message).toContain('(EISDIR). Fix: give the path of the YAML file');
  });
});

describe('ConfigError', () => {
  it('reads as file:line:column field: message. Fix: ...', () => {
    const error = new ConfigError({
      file: 'tailgate.yml',
      line: 12,
      column: 5,
      field: 'scenarios.browse.rate',
      message: 'must be a positive number (got "fast")',
      fix: 'write a number of iterations per timeUnit, e.g. rate: 50',
    });
    expect(error.message).toBe(
      'tailgate.yml:12:5 scenarios.browse.rate: must be a positive number (got "fast"). Fix: write a number of iterations per timeUnit, e.g. rate: 50',
    );
    expect(error).toMatchObject({ name: 'ConfigError', file: 'tailgate.yml', line: 12, column: 5, field: 'scenarios.browse.rate' });
    expect(error).toBeInstanceOf(Error);
  });

  it('lists several problems, at most ten, and counts the rest', () => {
    const problems = Array.from({ length: 12 }, (_, i) => ({ file: 'f.yml', line: i + 1, column: 1, field: `a${i}`, message: 'bad' }));
    const lines = new ConfigError(problems).message.split('\n');
    expect(lines[0]).toBe('f.yml: 12 problems');
    expect(lines[1]).toBe('  f.yml:1:1 a0: bad');
    expect(lines).toHaveLength(12);
    expect(lines[11]).toBe('  ...and 2 more');
  });

  it('formats a problem without a line or field', () => {
    expect(formatProblem({ file: 'f.yml', field: '', message: 'the file is empty', fix: 'write one' })).toBe('f.yml: the file is empty. Fix: write one');
  });

  it.each([
    [['scenarios', 'browse', 'rate'], 'scenarios.browse.rate'],
    [['journeys', 'shopper', 'steps', 0, 'request'], 'journeys.shopper.steps[0].request'],
    [['thresholds', 'http_req_duration{step:checkout}'], 'thresholds["http_req_duration{step:checkout}"]'],
    [[], ''],
  ] as const)('names field %j as %s', (path, field) => {
    expect(formatField(path)).toBe(field);
  });

  it('reports every schema problem of a file at once', () => {
    const yaml = `target: http://x
scenarios:
  a: { executor: constant-vus, duration: 1 }
  b: { executor: constant-vus, duration: 2 }
journeys: { j: { steps: [{ request: get / }] } }
`;
    try {
      parseProfile(yaml, { file: 'tailgate.yml', env: {} });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => `${p.line} ${p.field}`)).toEqual([
        '3 scenarios.a.duration',
        '4 scenarios.b.duration',
        '5 journeys.j.steps[0].request',
      ]);
    }
  });
});

describe('the schema', () => {
  it('compiles in ajv strict mode', () => {
    expect(() => new Ajv({ strict: true, allowUnionTypes: true }).compile(schema)).not.toThrow();
  });

  it('describes every property, so editors can complete and explain it', () => {
    const undocumented: string[] = [];
    const visit = (node: unknown, where: string): void => {
      if (node === null || typeof node !== 'object') return;
      const properties = (node as { properties?: Record<string, unknown> }).properties;
      for (const [name, property] of Object.entries(properties ?? {})) {
        if (property !== true && !(property as { description?: string }).description) undocumented.push(`${where}.${name}`);
      }
      // `if` holds conditions on executor, not property definitions
      for (const [key, child] of Object.entries(node)) if (key !== 'if') visit(child, `${where}/${key}`);
    };
    visit(schema, '#');
    expect(undocumented).toEqual([]);
    expect(schema.$id).toBeTruthy();
    expect(schema.title).toBeTruthy();
  });
});

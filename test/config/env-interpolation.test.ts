import { describe, it, expect } from 'vitest';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import schema from '../../schema/tailgate.schema.json' with { type: 'json' };
import { ConfigError } from '../../src/config/config-error.js';
import { interpolateString, interpolateTree, isRunnerVariable } from '../../src/config/env-interpolation.js';
import { parseProfile } from '../../src/config/load-profile.js';

const env = { HOST: 'api.example.com', TOKEN: 's3cr3t', EMPTY: '', QUOTED: `it's "quoted": yes` };

describe('interpolateString', () => {
  it.each([
    ['no variables', 'no variables'],
    ['${HOST}', 'api.example.com'],
    ['https://${HOST}/v1', 'https://api.example.com/v1'],
    ['${HOST}${HOST}', 'api.example.comapi.example.com'],
    ['${MISSING:-fallback}', 'fallback'],
    ['${MISSING:-}', ''],
    ['${MISSING:-a:b c}', 'a:b c'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${EMPTY}', ''],
    ['${HOST:-unused}', 'api.example.com'],
    ['$${HOST}', '${HOST}'],
    ['$$${HOST}', '$${HOST}'], // only $${ is an escape: the first $ stays
    ['price $5 and $HOST', 'price $5 and $HOST'],
    ['${QUOTED}', `it's "quoted": yes`],
    ['{{ productId }}', '{{ productId }}'],
  ])('%j becomes %j', (text, value) => {
    const result = interpolateString(text, env);
    expect(result.problems).toEqual([]);
    expect(result.value).toBe(value);
  });

  it.each([
    ['${MISSING}', 'environment variable MISSING is not set', '${MISSING:-value}'],
    ['${1BAD}', '"${1BAD}" is not an environment variable reference', 'write ${NAME}'],
    ['${}', '"${}" is not an environment variable reference', 'write ${NAME}'],
    ['${HOST', '"${" is not closed', 'write $${ for a literal ${'],
  ])('%j is a problem', (text, message, fix) => {
    const [problem] = interpolateString(text, env).problems;
    expect(problem?.message).toContain(message);
    expect(problem?.fix).toContain(fix);
  });

  it('reports which values came from the environment, not defaults', () => {
    expect(interpolateString('${TOKEN}-${MISSING:-x}', env).fromEnv).toEqual(['s3cr3t']);
  });
});

describe('interpolateTree', () => {
  it('replaces in every string value but never in keys, and leaves other scalars alone', () => {
    const tree = { '${HOST}': '${HOST}', list: ['${TOKEN}', 5, true, null], nested: { n: 1 } };
    const result = interpolateTree(tree, env);
    expect(result.value).toEqual({ '${HOST}': 'api.example.com', list: ['s3cr3t', 5, true, null], nested: { n: 1 } });
  });

  it('keeps every environment value placed into a string, wherever it went, and shows each as ***', () => {
    const tree = {
      defaults: { headers: { authorization: 'Bearer ${TOKEN}', 'x-default': '${MISSING:-public}' } },
      journeys: { j: { steps: [{ request: 'GET /${HOST}', headers: { 'x-host': '${HOST}', 'x-empty': '${EMPTY}' } }] } },
    };
    const result = interpolateTree(tree, env);
    expect(result.placed.map((p) => p.value)).toEqual(['s3cr3t', 'api.example.com', 'api.example.com']);
    expect(result.shownAt(['journeys', 'j', 'steps', 0, 'request'])).toBe('GET /***');
    expect(result.shownAt(['defaults', 'headers', 'authorization'])).toBe('Bearer ***');
    expect(result.shownAt(['defaults', 'headers', 'x-default'])).toBeUndefined();
  });

  it('reports each missing variable with its path', () => {
    const result = interpolateTree({ a: ['${X}'], b: { c: '${Y}' } }, {});
    expect(result.problems.map((p) => p.path)).toEqual([['a', 0], ['b', 'c']]);
  });

  it('can leave a field as written', () => {
    const result = interpolateTree({ target: '${NOPE}', other: '${HOST}' }, env, (path) => path[0] === 'target');
    expect({ ...result, shownAt: undefined }).toEqual({
      value: { target: '${NOPE}', other: 'api.example.com' },
      shownAt: undefined,
      placed: [{ path: ['other'], value: 'api.example.com' }],
      environment: [{ name: 'HOST', value: 'api.example.com' }],
      problems: [],
      wholeReferences: [['other']],
      environmentFields: [{ path: ['other'], name: 'HOST' }],
    });
  });

  it.each([
    ['ACTIONS_RUNTIME_TOKEN', true],
    ['ACTIONS_ID_TOKEN_REQUEST_TOKEN', true],
    ['actions_id_token_request_url', true],
    ['GITHUB_TOKEN', true],
    ['RUNNER_TEMP', true],
    ['INPUT_GITHUB_TOKEN', true],
    ['GITHUB_SHA', false],
    ['API_TOKEN', false],
    ['MY_GITHUB_TOKEN', false],
  ] as const)('%s is a variable of the runner: %s', (name, expected) => {
    expect(isRunnerVariable(name)).toBe(expected);
  });
});

describe('interpolation in a profile', () => {
  const yaml = `target: \${TARGET_URL}
defaults:
  headers:
    authorization: "Bearer \${API_TOKEN}"
scenarios: { s: { executor: constant-vus, duration: 10s } }
journeys:
  j:
    steps:
      - request: GET /items?q=\${QUERY:-a:b,"c"}
`;

  it('fills values after YAML parsing, so quotes and colons in values are safe', () => {
    const profile = parseProfile(yaml, {
      file: 'tailgate.yml',
      env: { TARGET_URL: 'https://preview.example.com/', API_TOKEN: `to"k: en'` },
    });
    expect(profile.target).toBe('https://preview.example.com');
    expect(profile.headers).toEqual({ authorization: `Bearer to"k: en'` });
    expect(profile.journeys[0]?.steps[0]?.path).toBe('/items?q=a:b,"c"');
    // The target's host:port and host are secrets too: a connection's errors name it so.
    expect(profile.secrets).toEqual(['https://preview.example.com/', `to"k: en'`, 'preview.example.com:443', 'preview.example.com']);
  });

  it('names the variable, the field and the line of a missing variable', () => {
    expect(() => parseProfile(yaml, { file: 'tailgate.yml', env: { TARGET_URL: 'http://x' } })).toThrow(
      'tailgate.yml:4:20 defaults.headers.authorization: environment variable API_TOKEN is not set',
    );
  });

  it('reports every missing variable at once', () => {
    try {
      parseProfile(yaml, { file: 'tailgate.yml', env: {} });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => [p.field, p.line])).toEqual([
        ['target', 1],
        ['defaults.headers.authorization', 4],
      ]);
    }
  });

  it('neither reads nor requires the file target when the command line gives one', () => {
    const profile = parseProfile(yaml, { file: 'tailgate.yml', env: { API_TOKEN: 't' }, target: 'http://127.0.0.1:8080/' });
    expect(profile.target).toBe('http://127.0.0.1:8080');
  });
});

describe('a number field written as one ${VAR} reference', () => {
  // Block style: in a flow mapping ({ ... }) an unquoted \${...} is a YAML syntax error.
  const yaml = `target: http://127.0.0.1:3000
scenarios:
  steady:
    executor: constant-arrival-rate
    rate: \${RATE}
    duration: 10s
    preAllocatedVUs: "\${VUS:-5}"
    maxVUs: \${MAX_VUS:-20}
journeys:
  j:
    weight: \${WEIGHT:-1}
    steps:
      - request: GET /
        headers:
          x-tenant: \${TENANT:-42}
`;
  const parse = (env: Record<string, string>) => parseProfile(yaml, { file: 'tailgate.yml', env });

  it('reads the filled-in text as a number, as if written there, default or not', () => {
    const profile = parse({ RATE: '50', WEIGHT: '2.5' });
    expect(profile.scenarios[0]?.executor).toMatchObject({ type: 'constant-arrival-rate', rate: 50, preAllocatedVUs: 5, maxVUs: 20 });
    expect(profile.journeys[0]?.weight).toBe(2.5);
  });

  it('leaves text fields as text, even when the value looks like a number', () => {
    const profile = parse({ RATE: '50' });
    expect(profile.journeys[0]?.steps[0]?.headers).toEqual({ 'x-tenant': '42' });
  });

  it.each([
    ['abc', 'tailgate.yml:5:11 scenarios.steady.rate: must be a positive whole number (got the value of ${RATE})'],
    ['0', 'tailgate.yml:5:11 scenarios.steady.rate: must be a positive whole number (got the value of ${RATE})'],
    ['1.5', 'tailgate.yml:5:11 scenarios.steady.rate: must be a positive whole number (got the value of ${RATE})'],
    ['', 'tailgate.yml:5:11 scenarios.steady.rate: must be a positive whole number (got "")'],
  ])('refuses RATE=%j with the field, the line and what is allowed', (rate, message) => {
    expect(() => parse({ RATE: rate })).toThrow(message);
  });

  it('is valid as written against the published schema, so an editor does not flag it', () => {
    const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(schema);
    expect(validate(parseYaml(yaml))).toBe(true);
    expect(validate(parseYaml(yaml.replace('rate: ${RATE}', 'rate: ${1RATE}')))).toBe(false);
  });

  it('still refuses a number written as text by hand: nothing but a reference is read as a number', () => {
    expect(() => parseProfile(yaml.replace('rate: ${RATE}', 'rate: "50"'), { file: 'tailgate.yml', env: {} })).toThrow(
      'scenarios.steady.rate: must be a positive whole number (got "50")',
    );
  });
});

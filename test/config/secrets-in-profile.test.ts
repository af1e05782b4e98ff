import { describe, expect, it } from 'vitest';
import { isAllowedUrl } from '../../src/config/allowed-hosts.js';
import { ConfigError } from '../../src/config/config-error.js';
import { parseProfile } from '../../src/config/load-profile.js';
import { shownTarget, withoutCredentials } from '../../src/config/shown-values.js';

/**
 * Values a profile takes from the environment are secrets wherever a name or URL shows them, the
 * runner's own variables are never read, and a URL an event names is loaded only where allowed.
 */
const env = { API_KEY: 'key-5f3a9c1e77', TENANT: 'acme-corp-7781', API_TOKEN: 'tok-0b6d2e44aa' };

const PROFILE = `target: https://api.example.com/\${TENANT}
defaults: { headers: { authorization: "Bearer \${API_TOKEN}" } }
scenarios: { s: { executor: constant-vus, vus: 1, duration: 1s } }
setup:
  steps:
    - request: POST /login?tenant=\${TENANT}
journeys:
  j:
    steps:
      - request: GET /items?api_key=\${API_KEY}
      - name: named \${TENANT}
        request: GET /named
      - request: GET /plain
`;

describe('values from the environment in names and URLs', () => {
  const profile = parseProfile(PROFILE, { file: 'tailgate.yml', env });
  const steps = profile.journeys[0]?.steps ?? [];

  it('name a step after its request line with each value as ***, and keep the real path for the request', () => {
    expect(steps.map((s) => s.name)).toEqual(['GET /items?api_key=***', 'named ***', 'GET /plain']);
    expect(steps[0]?.path).toBe('/items?api_key=key-5f3a9c1e77');
    expect(steps[0]?.shownPath).toBe('/items?api_key=***');
    expect(steps[2]?.shownPath).toBeUndefined();
    expect(profile.setup?.[0]?.name).toBe('POST /login?tenant=***');
  });

  it('show the target with its part from the environment as ***, and load the real one', () => {
    expect(profile.target).toBe('https://api.example.com/acme-corp-7781');
    expect(shownTarget(profile)).toBe('https://api.example.com/***');
    // A copy with another target (paired mode's base) shows that target, not the first's mask.
    expect(shownTarget({ ...profile, target: 'http://127.0.0.1:9/' })).toBe('http://127.0.0.1:9/');
  });

  it('count every value placed into text as a secret, numbers read from one excepted', () => {
    const withRate = parseProfile(PROFILE.replace('vus: 1', 'vus: "${VUS}"'), { file: 'tailgate.yml', env: { ...env, VUS: '3' } });
    expect(withRate.secrets.sort()).toEqual(['acme-corp-7781', 'key-5f3a9c1e77', 'tok-0b6d2e44aa']);
  });
});

describe("the runner's own variables", () => {
  it.each(['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'GITHUB_TOKEN', 'RUNNER_TEMP', 'INPUT_CONFIG'])('%s is never read, even with a default', (name) => {
    const text = PROFILE.replace('Bearer ${API_TOKEN}', `Bearer \${${name}:-none}`);
    let error: unknown;
    try {
      parseProfile(text, { file: 'tailgate.yml', env: { ...env, [name]: 'runner-secret-value' } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problem = (error as ConfigError).problems[0];
    expect(problem).toMatchObject({ file: 'tailgate.yml', line: 2, field: 'defaults.headers.authorization' });
    expect(problem?.message).toContain(`reads \${${name}}, a variable of the runner`);
    expect(problem?.fix).toContain('env: { API_TOKEN: ${{ secrets.API_TOKEN }} }');
    expect((error as ConfigError).message).not.toContain('runner-secret-value');
  });
});

describe('a target the event names', () => {
  const file = (target: string): string => PROFILE.replace('https://api.example.com/${TENANT}', target);

  it('is loaded when its origin is the profile target origin or a host of allowed-hosts', () => {
    const options = { file: 'tailgate.yml', env, target: 'https://preview.example.com/app' };
    expect(parseProfile(file('https://preview.example.com'), { ...options, targetFromEvent: { source: "the deployment's environment_url", allowedHosts: [] } }).target).toBe(
      'https://preview.example.com/app',
    );
    expect(parseProfile(file('${TENANT}'), { ...options, env: { ...env, TENANT: 'https://preview.example.com' }, targetFromEvent: { source: 'x', allowedHosts: [] } }).target).toBe(
      'https://preview.example.com/app',
    );
    expect(parseProfile(file('http://127.0.0.1:1'), { ...options, targetFromEvent: { source: 'x', allowedHosts: ['*.example.com'] } }).target).toBe('https://preview.example.com/app');
  });

  it('is refused elsewhere, naming the allowed-hosts input, before anything is sent', () => {
    expect(() =>
      parseProfile(file('http://127.0.0.1:3000'), {
        file: 'tailgate.yml',
        env,
        target: 'https://evil.example.net',
        targetFromEvent: { source: "the deployment's environment_url", allowedHosts: ['preview.example.com'] },
      }),
    ).toThrow(/target: the deployment's environment_url https:\/\/evil\.example\.net is neither the origin of the profile's target nor a host of the allowed-hosts input[\s\S]*allowed-hosts: evil\.example\.net/);
  });
});

describe('allowed hosts', () => {
  it.each([
    ['https://a.example.com/x', { target: 'https://a.example.com/api', hosts: [] }, true],
    ['http://a.example.com/x', { target: 'https://a.example.com/api', hosts: [] }, false],
    ['https://a.example.com:8443/', { target: 'https://a.example.com', hosts: [] }, false],
    ['https://a.example.com:8443/', { hosts: ['a.example.com'] }, true],
    ['https://a.example.com:8443/', { hosts: ['a.example.com:443'] }, false],
    ['https://a.example.com/', { hosts: ['a.example.com:443'] }, true],
    ['https://pr-1.previews.example.com/', { hosts: ['*.previews.example.com'] }, true],
    ['https://previews.example.com/', { hosts: ['*.previews.example.com'] }, false],
    ['https://evilpreviews.example.com/', { hosts: ['*.previews.example.com'] }, false],
    ['http://[::1]:8080/', { hosts: ['[::1]:8080'] }, true],
    ['http://127.0.0.2:8080/', { hosts: ['127.0.0.1'] }, false],
  ] as const)('%s under %j: %s', (url, allowed, expected) => {
    expect(isAllowedUrl(url, allowed)).toBe(expected);
  });
});

describe('URLs in messages', () => {
  it.each([
    ['https://user:hunter2@example.com/x', 'https://***:***@example.com/x'],
    ['https://token@example.com', 'https://***@example.com/'],
    ['not a url //user:hunter2@x', 'not a url //***@x'],
    ['https://example.com/', 'https://example.com/'],
  ])('%s is shown as %s', (text, shown) => {
    expect(withoutCredentials(text)).toBe(shown);
  });

  it('never quote the password of a refused --target', () => {
    expect(() => parseProfile(PROFILE, { file: 'tailgate.yml', env, target: 'https://ci:hunter2-pass@preview.example.com' })).toThrow(
      /no user name or password[\s\S]*\(got "https:\/\/\*\*\*:\*\*\*@preview\.example\.com\/"\)/,
    );
    try {
      parseProfile(PROFILE, { file: 'tailgate.yml', env, target: 'https://ci:hunter2-pass@preview.example.com' });
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('hunter2-pass');
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProfile } from '../../src/config/load-profile.js';
import { profileHash } from '../../src/plan/profile-hash.js';
import { startServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { runProfile } from '../helpers/run-profile.js';
import { configErrorMessage } from '../helpers/config-problem.js';

/**
 * k6's noCookiesReset: tailgate keeps a VU's jar for its life by default; `noCookiesReset: false`
 * (k6's default) empties it as each iteration starts. The cookie mode is part of the load, so it
 * is part of the profile's hash.
 */
const HEAD = 'target: http://127.0.0.1:9\nscenarios: { s: { executor: shared-iterations, vus: 1, iterations: 5 } }\n';
const JOURNEY = 'journeys:\n  j:\n    steps:\n      - { name: whoami, request: GET /me, expect: [200, 401] }\n      - { name: login, request: GET /login }\n';
const parse = (text: string, target = 'http://127.0.0.1:9') => parseProfile(text.replace('http://127.0.0.1:9', target), { file: 'cookies.yml', env: {} });

describe('noCookiesReset', () => {
  let server: LoopbackServer;
  beforeAll(async () => {
    // /login sets a session cookie; /me answers 200 with it and 401 without.
    server = await startServer((req, res) => {
      req.resume();
      if (req.url === '/login') res.setHeader('set-cookie', 'sid=s1; Path=/');
      res.statusCode = req.url === '/me' && !/\bsid=s1\b/.test(req.headers.cookie ?? '') ? 401 : 200;
      res.end();
    });
  });
  afterAll(() => server.close());

  const whoami = async (extra: string) => {
    const record = await runProfile(parse(`${HEAD}${extra}${JOURNEY}`, server.url));
    return record.scenarios.s?.results?.steps.whoami?.statuses;
  };

  it('keeps a VU’s cookies across its iterations by default', async () => {
    expect(await whoami('')).toEqual({ 200: 4, 401: 1 });
    expect(await whoami('noCookiesReset: true\n')).toEqual({ 200: 4, 401: 1 });
  }, 20_000);

  it('empties the jar as each iteration starts with noCookiesReset: false, as k6 does', async () => {
    expect(await whoami('noCookiesReset: false\n')).toEqual({ 401: 5 });
  }, 20_000);

  it('refuses a value that is not true or false', () => {
    expect(configErrorMessage(() => parse(`${HEAD}noCookiesReset: sometimes\n${JOURNEY}`))).toMatch(/noCookiesReset/);
  });

  it('changes the profile hash with the cookie mode, and only then', () => {
    const hash = (extra: string, journey = JOURNEY) => profileHash(parse(`${HEAD}${extra}${journey}`));
    const plain = hash('');
    expect(hash('cookies: true\n')).toBe(plain);
    expect(hash('noCookiesReset: true\n')).toBe(plain);
    const modes = [plain, hash('cookies: false\n'), hash('noCookiesReset: false\n'), hash('', JOURNEY.replace('request: GET /login }', 'request: GET /login, cookies: false }'))];
    expect(new Set(modes).size).toBe(4);
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadProfile } from '../../src/config/load-profile.js';
import { executeProfile } from '../../src/run/execute-profile.js';
import { bypassedBy, proxyFor } from '../../src/run/proxy-env.js';
import { captureIo } from '../cli/cli-io.js';
import { startServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { haveOpenssl, makeTestCertificates, startHttpsServer, type TestCertificates } from '../helpers/test-certificates.js';
import { startTestProxy, type TestProxy } from '../helpers/test-proxy.js';

/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY for the load, with real proxies on 127.0.0.1 (http, and
 * https with a certificate from the test CA). The targets
 * are named `tailgate-target.test`, which no resolver knows and the proxy maps to 127.0.0.1: a
 * request that reached them went through the proxy.
 */
const NAME = 'tailgate-target.test';

describe.skipIf(!haveOpenssl())('the load through a proxy from the environment', () => {
  let certs: TestCertificates;
  let plain: LoopbackServer;
  let https: { url: string; close: () => Promise<void> };
  let proxy: TestProxy;
  let locked: TestProxy;
  let tlsProxy: TestProxy;
  let hosts: string[];
  let httpUrl: string;
  let httpsUrl: string;
  beforeAll(async () => {
    // One certificate for the target's name and for 127.0.0.1, where the https proxy listens.
    certs = makeTestCertificates([NAME, '127.0.0.1']);
    plain = await startServer((req, res) => {
      hosts.push(req.headers.host ?? '');
      req.resume();
      res.end('ok');
    });
    https = await startHttpsServer({ cert: certs.serverCert, key: certs.serverKey }, (req, res) => {
      hosts.push(req.headers.host ?? '');
      req.resume();
      res.end('ok');
    });
    httpUrl = `http://${NAME}:${new URL(plain.url).port}`;
    httpsUrl = `https://${NAME}:${new URL(https.url).port}`;
    proxy = await startTestProxy();
    locked = await startTestProxy({ credentials: 'ada:pa:ss' });
    tlsProxy = await startTestProxy({ tls: { cert: certs.serverCert, key: certs.serverKey } });
  });
  afterAll(async () => {
    await Promise.all([plain.close(), proxy.close(), locked.close(), tlsProxy.close(), https.close()]);
  });
  beforeEach(() => {
    hosts = [];
    proxy.calls.length = 0;
    locked.calls.length = 0;
    tlsProxy.calls.length = 0;
  });

  /** `trusted`: the profile trusts the test CA (tlsCaFile), which signed the target's and the https proxy's certificates. */
  const profileFile = (scenario = 'shared-iterations, vus: 3, iterations: 12', trusted = true): string => {
    const file = join(certs.dir, `proxy-${Math.random().toString(36).slice(2)}.yml`);
    writeFileSync(file, `target: \${TARGET_URL}\n${trusted ? 'tlsCaFile: ca.pem\n' : ''}scenarios: { s: { executor: ${scenario} } }\njourneys: { j: { steps: [{ name: home, request: GET /home }] } }\n`);
    return file;
  };
  /**
   * `target`: given with --target, so the messages show it (a target from the environment,
   * TARGET_URL, is a secret and shows as ***).
   */
  const run = async (env: Record<string, string>, file = profileFile(), target?: string): Promise<{ code: number; log: string }> => {
    const io = captureIo(env);
    const code = await main(['run', '--config', file, ...(target !== undefined ? ['--target', target] : []), '--quiet'], io);
    return { code, log: io.log.join('\n') };
  };

  it('sends an http target’s requests to HTTP_PROXY in absolute form, each for the target alone', async () => {
    const { code, log } = await run({ HTTP_PROXY: proxy.url }, profileFile(), httpUrl);
    expect(code).toBe(0);
    expect(hosts.filter((h) => h === `${NAME}:${new URL(httpUrl).port}`)).toHaveLength(13); // 12 and the check before the load
    expect(proxy.calls.map((c) => c.target)).toEqual([`${httpUrl}/`, ...Array<string>(12).fill(`${httpUrl}/home`)]);
    expect(log).toContain(`the load goes to ${httpUrl} through the proxy ${proxy.url} (HTTP_PROXY); requests are still for ${httpUrl} alone`);
  }, 20_000);

  it('says where the load goes with a target from the environment shown as ***, never the URL', async () => {
    const { code, log } = await run({ TARGET_URL: httpUrl, HTTP_PROXY: proxy.url });
    expect(code).toBe(0);
    expect(proxy.calls.map((c) => c.target)).toEqual([`${httpUrl}/`, ...Array<string>(12).fill(`${httpUrl}/home`)]);
    expect(log).toContain(`the load goes to *** through the proxy ${proxy.url} (HTTP_PROXY); requests are still for *** alone`);
    expect(log).not.toContain(httpUrl);
  }, 20_000);

  it('tunnels an https target through HTTPS_PROXY (CONNECT, then TLS with the target against the tlsCaFile): one tunnel per connection', async () => {
    const { code } = await run({ TARGET_URL: httpsUrl, https_proxy: proxy.url, HTTP_PROXY: 'http://127.0.0.1:1' });
    expect(code).toBe(0);
    expect(hosts).toHaveLength(12);
    const authority = `${NAME}:${new URL(httpsUrl).port}`;
    expect(proxy.calls.every((c) => c.kind === 'connect' && c.target === authority)).toBe(true);
    // The check before the load, then at most one per VU: connections are kept alive through their tunnels.
    expect(proxy.calls.length).toBeGreaterThanOrEqual(2);
    expect(proxy.calls.length).toBeLessThanOrEqual(4);
  }, 20_000);

  it('passes the proxy URL’s credentials, and without them stops before the load with the fix', async () => {
    const withCredentials = await run({ TARGET_URL: httpsUrl, HTTPS_PROXY: locked.url.replace('//', '//ada:pa%3Ass@') });
    expect(withCredentials.code).toBe(0);
    expect(hosts).toHaveLength(12);
    expect(withCredentials.log).not.toContain('pa%3Ass');
    hosts = [];
    const forwarded = await run({ TARGET_URL: httpUrl, http_proxy: locked.url.replace('//', '//ada:pa%3Ass@') });
    expect(forwarded.code).toBe(0);
    expect(hosts).toHaveLength(13);
    expect(locked.calls.filter((c) => c.kind === 'forward').every((c) => c.authorization === `Basic ${Buffer.from('ada:pa:ss').toString('base64')}`)).toBe(true);
    hosts = [];
    const without = await run({ TARGET_URL: httpsUrl, HTTPS_PROXY: locked.url });
    expect(without.code).toBe(2);
    // The target is from the environment: a secret, in every form a connection names it (host:port here).
    expect(without.log).toContain(`cannot reach *** through the proxy ${locked.url}: the proxy 127.0.0.1:${new URL(locked.url).port} asks for credentials (407 Proxy Authentication Required)`);
    expect(without.log).not.toContain(NAME);
    expect(without.log).toContain('credentials as http://user:password@host:port');
    expect(hosts).toHaveLength(0);
  }, 20_000);

  it('goes around the proxy for a host NO_PROXY names (here: no resolver knows it, so the run cannot start), and for loopback', async () => {
    const bypassed = await run({ HTTP_PROXY: proxy.url, NO_PROXY: 'localhost,.test' }, profileFile(), httpUrl);
    expect(bypassed.code).toBe(2);
    expect(bypassed.log).toContain(`${httpUrl} is in NO_PROXY: the load goes to it directly, not through the proxy`);
    expect(proxy.calls).toHaveLength(0);
    const loopback = await run({ HTTP_PROXY: proxy.url }, profileFile(), plain.url);
    expect(loopback.code).toBe(0);
    expect(hosts).toHaveLength(12);
    expect(proxy.calls).toHaveLength(0);
    expect(loopback.log).toContain(`HTTP_PROXY is set, but ${plain.url} is loopback: the load goes to it directly`);
  }, 20_000);

  it('lets the Action’s wait for the target go through the proxy too', async () => {
    const profile = await loadProfile(profileFile(), { env: { TARGET_URL: httpsUrl } });
    const record = await executeProfile(profile, captureIo({ HTTPS_PROXY: proxy.url }), { quiet: true, waitForTargetMs: 5000 });
    expect(record.overall.requests).toBe(12);
    expect(hosts).toHaveLength(13); // the wait's GET of the target, then the load
    expect(proxy.calls.every((c) => c.kind === 'connect')).toBe(true);
  }, 20_000);

  it('takes each paired arm through its own proxy choice: the head through the proxy, a loopback base directly', async () => {
    const io = captureIo({ TARGET_URL: httpUrl, HTTP_PROXY: proxy.url });
    const code = await main(['run', '--config', profileFile('constant-vus, vus: 2, duration: 3s'), '--baseline-target', plain.url, '--pair-block', '1s', '--pair-settle', '0s', '--quiet'], io);
    expect(code).not.toBe(2);
    const head = hosts.filter((h) => h.startsWith(NAME)).length;
    expect(head).toBeGreaterThan(0);
    expect(hosts.length - head).toBeGreaterThan(0);
    expect(proxy.calls.every((c) => c.target.startsWith(httpUrl))).toBe(true);
    expect(proxy.calls.length).toBe(head); // the head's check and its load; none of the base's
  }, 30_000);

  it('tunnels an https target through an https proxy: TLS with the proxy (its certificate checked against the tlsCaFile), CONNECT inside it, then TLS with the target', async () => {
    const { code, log } = await run({ HTTPS_PROXY: tlsProxy.url }, profileFile(), httpsUrl);
    expect(code).toBe(0);
    expect(hosts).toHaveLength(12);
    const authority = `${NAME}:${new URL(httpsUrl).port}`;
    expect(tlsProxy.calls.length).toBeGreaterThanOrEqual(2); // the check before the load, then the VUs' connections
    expect(tlsProxy.calls.every((c) => c.kind === 'connect' && c.target === authority)).toBe(true);
    expect(proxy.calls).toHaveLength(0);
    expect(log).toContain(`the load goes to ${httpsUrl} through the proxy ${tlsProxy.url} (HTTPS_PROXY)`);
  }, 20_000);

  it('sends an http target’s requests over TLS to an https HTTP_PROXY, in absolute form', async () => {
    const { code } = await run({ TARGET_URL: httpUrl, HTTP_PROXY: tlsProxy.url });
    expect(code).toBe(0);
    expect(hosts.filter((h) => h === `${NAME}:${new URL(httpUrl).port}`)).toHaveLength(13);
    expect(tlsProxy.calls.map((c) => c.target)).toEqual([`${httpUrl}/`, ...Array<string>(12).fill(`${httpUrl}/home`)]);
  }, 20_000);

  it('lets the Action’s wait go through an https proxy', async () => {
    const profile = await loadProfile(profileFile(), { env: { TARGET_URL: httpsUrl } });
    const record = await executeProfile(profile, captureIo({ HTTPS_PROXY: tlsProxy.url }), { quiet: true, waitForTargetMs: 5000 });
    expect(record.overall.requests).toBe(12);
    expect(hosts).toHaveLength(13);
    expect(tlsProxy.calls.every((c) => c.kind === 'connect')).toBe(true);
  }, 20_000);

  it.each([
    ['an https target', () => httpsUrl, 'HTTPS_PROXY'],
    ['an http target', () => httpUrl, 'HTTP_PROXY'],
  ])('stops before the load, with the fix, when it does not trust the https proxy’s certificate (%s)', async (_, target, variable) => {
    const { code, log } = await run({ TARGET_URL: target(), [variable]: tlsProxy.url }, profileFile(undefined, false));
    expect(code).toBe(2);
    expect(log).toContain(`the TLS handshake with the https proxy 127.0.0.1:${new URL(tlsProxy.url).port} failed: the certificate is signed by a CA this machine does not trust`);
    expect(log).toContain("An https proxy's certificate is checked as the target's is: trust its CA with the profile's tlsCaFile");
    expect(tlsProxy.calls).toHaveLength(0);
    expect(hosts).toHaveLength(0);
  }, 20_000);

  it('refuses a proxy variable it cannot use, naming it', async () => {
    const { code, log } = await run({ TARGET_URL: httpsUrl, HTTPS_PROXY: 'socks5://127.0.0.1:1080' });
    expect(code).toBe(2);
    expect(log).toContain('HTTPS_PROXY: is a socks5 proxy; the load goes through http or https proxies only; write it as http://proxy.example.com:3128');
  });
});

describe('which proxy the environment names for a target', () => {
  const https = new URL('https://preview.example.com');
  it.each([
    ['none set', {}, undefined],
    ['lower-case first', { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:1' }, 'http://lower:1/'],
    ['no scheme means http', { HTTPS_PROXY: 'proxy.internal:3128' }, 'http://proxy.internal:3128/'],
    ['an https target does not fall back to HTTP_PROXY', { HTTP_PROXY: 'http://p:1' }, undefined],
    ['NO_PROXY names the domain', { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'example.com' }, undefined],
    ['NO_PROXY names another port', { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'preview.example.com:8443' }, 'http://p:1/'],
    ['NO_PROXY is *', { HTTPS_PROXY: 'http://p:1', no_proxy: '*' }, undefined],
  ])('%s', (_, env, expected) => {
    expect(proxyFor(https, env as Record<string, string>).proxy?.href).toBe(expected);
  });

  it.each([
    ['example.com', 'example.com', 443, true],
    ['.example.com', 'a.example.com', 443, true],
    ['*.example.com', 'example.com', 443, false],
    ['*.example.com', 'a.b.example.com', 443, true],
    ['ample.com', 'example.com', 443, false],
    ['example.com:443', 'example.com', 443, true],
    ['[::1]:8080', '::1', 8080, true],
    ['10.0.0.1', '10.0.0.1', 80, true],
    ['a.com b.com,,c.com', 'b.com', 80, true],
  ])('NO_PROXY=%s for %s:%d: %s', (noProxy, host, port, bypassed) => {
    expect(bypassedBy(noProxy, host, port)).toBe(bypassed);
  });
});

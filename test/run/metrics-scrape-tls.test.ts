import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchExposition, pairedRunScrapeWarning, realScrapeDeps } from '../../src/run/metrics-scrape.js';
import { haveOpenssl, makeTestCertificates, startHttpsServer, type TestCertificates } from '../helpers/test-certificates.js';

/** The scrape's TLS handshake is the load's: a private CA the profile trusts (`tlsCaFile`), or any certificate (`insecureSkipTLSVerify`). */
describe.skipIf(!haveOpenssl())('scraping an https endpoint', () => {
  let certificates: TestCertificates;
  let server: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    certificates = makeTestCertificates();
    server = await startHttpsServer({ cert: certificates.serverCert, key: certificates.serverKey }, (_req, res) => res.end('# TYPE up gauge\nup 1\n'));
  }, 30_000);
  afterAll(() => server?.close());

  it('refuses a certificate of a CA it was not given, as the load does', async () => {
    await expect(fetchExposition(`${server.url}/metrics`, 5_000)).rejects.toThrow(/certificate/i);
  });

  it('trusts the profile’s CA, or any certificate when the profile says so', async () => {
    expect(await realScrapeDeps({ ca: [certificates.caPem] }).fetchText(`${server.url}/metrics`, 5_000)).toBe('# TYPE up gauge\nup 1\n');
    expect(await realScrapeDeps({ rejectUnauthorized: false }).fetchText(`${server.url}/metrics`, 5_000)).toBe('# TYPE up gauge\nup 1\n');
  });
});

describe('a paired run', () => {
  it('is warned that it does not scrape, and where the metrics are measured instead', () => {
    expect(pairedRunScrapeWarning({ url: 'http://127.0.0.1:9464/metrics' })).toMatch(/^metrics: a paired run does not scrape http:\/\/127\.0\.0\.1:9464\/metrics .* gated only by runs against a stored baseline/);
  });
});

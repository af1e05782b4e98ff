import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadProfile } from '../../src/config/load-profile.js';
import { executeProfile } from '../../src/run/execute-profile.js';
import { captureIo } from '../cli/cli-io.js';
import { configErrorMessage } from '../helpers/config-problem.js';
import { haveOpenssl, makeTestCertificates, startHttpsServer, type TestCertificates } from '../helpers/test-certificates.js';

/** tlsCaFile: a loopback https target signed by a CA of the test's own is loaded, and checked before, against that CA. */
describe.skipIf(!haveOpenssl())('tlsCaFile', () => {
  let certs: TestCertificates;
  let https: { url: string; close: () => Promise<void> };
  let url: string;
  let requests = 0;
  beforeAll(async () => {
    certs = makeTestCertificates();
    https = await startHttpsServer({ cert: certs.serverCert, key: certs.serverKey }, (req, res) => {
      requests++;
      req.resume();
      res.end('ok');
    });
    url = https.url;
  });
  afterAll(() => https.close());

  /** A profile in the certificates' folder, so `tlsCaFile: ca.pem` is relative to it. */
  const profileFile = (extra: string): string => {
    const file = join(certs.dir, `p-${Math.random().toString(36).slice(2)}.yml`);
    writeFileSync(file, `target: \${TARGET_URL}\n${extra}scenarios: { s: { executor: shared-iterations, vus: 2, iterations: 6 } }\njourneys: { j: { steps: [{ name: home, request: GET / }] } }\n`);
    return file;
  };

  it('loads the target with the CA trusted, and says so; inspect shows it', async () => {
    // The target by --target: one from the environment (TARGET_URL) would show as ***.
    const io = captureIo({});
    const before = requests;
    expect(await main(['run', '--config', profileFile('tlsCaFile: ca.pem\n'), '--target', url, '--quiet'], io)).toBe(0);
    expect(requests - before).toBe(6);
    expect(io.log.join('\n')).toContain(`tlsCaFile: ${url} is verified against ca.pem (1 certificate(s)) besides the usual CAs`);
    const inspect = captureIo({});
    expect(await main(['inspect', '--config', profileFile('tlsCaFile: ca.pem\n'), '--target', url], inspect)).toBe(0);
    expect(inspect.out()).toContain(`target ${url} (tlsCaFile: verified against ca.pem too)`);
  }, 20_000);

  it('refuses the target before the load without it (its CA is nobody’s)', async () => {
    const io = captureIo({ TARGET_URL: url });
    const before = requests;
    expect(await main(['run', '--config', profileFile(''), '--quiet'], io)).toBe(2);
    expect(io.log.join('\n')).toMatch(/the certificate is signed by a CA this machine does not trust/);
    expect(requests).toBe(before);
  }, 20_000);

  it('lets the Action’s wait for the target (handshake, then a GET) trust the same CA', async () => {
    const io = captureIo({ TARGET_URL: url });
    const withCa = await loadProfile(profileFile('tlsCaFile: ca.pem\n'), { env: { TARGET_URL: url } });
    const record = await executeProfile(withCa, io, { quiet: true, waitForTargetMs: 5000 });
    expect(record.overall.requests).toBe(6);
    const without = await loadProfile(profileFile(''), { env: { TARGET_URL: url } });
    await expect(executeProfile(without, io, { quiet: true, waitForTargetMs: 1000 })).rejects.toThrow(/never answered.*signed by a CA this machine does not trust/);
  }, 20_000);

  const refused = (name: string, files: Record<string, string>, extra: string, expected: string): [string, Record<string, string>, string, string] => [name, files, extra, expected];
  it.each([
    refused('a missing file', {}, 'tlsCaFile: nope.pem\n', 'tlsCaFile: cannot read'),
    refused('a file with no certificate', { 'key.pem': '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n' }, 'tlsCaFile: key.pem\n', 'tlsCaFile: key.pem holds no PEM certificate (a block from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----). Fix: give the CA\'s certificate in PEM form'),
    refused('a broken certificate', { 'bad.pem': '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n' }, 'tlsCaFile: bad.pem\n', 'tlsCaFile: bad.pem: certificate 1 cannot be read'),
    refused('a CA beside insecureSkipTLSVerify', {}, 'insecureSkipTLSVerify: true\ntlsCaFile: ca.pem\n', 'tlsCaFile: goes with insecureSkipTLSVerify: true, which accepts any certificate, so the CA would never be asked. Fix: keep tlsCaFile'),
  ])('refuses %s, naming the line, field and fix', async (_, files, extra, expected) => {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(certs.dir, name), text);
    const file = profileFile(extra);
    const message = await loadProfile(file, { env: { TARGET_URL: url } }).then(
      () => 'loaded',
      (error: unknown) => configErrorMessage(() => {
        throw error;
      }),
    );
    expect(message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ `));
    expect(message).toContain(expected);
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureIo } from '../cli/cli-io.js';
import { haveOpenssl, makeTestCertificates, startHttpsServer, type TestCertificates } from '../helpers/test-certificates.js';

/** Paired mode reaches both https targets as a single run reaches its one: insecureSkipTLSVerify and tlsCaFile apply to both arms. */
describe.skipIf(!haveOpenssl())('paired mode over TLS', () => {
  let certs: TestCertificates;
  const servers: Array<{ url: string; close: () => Promise<void> }> = [];
  const urls: string[] = [];
  const counts = [0, 0];
  beforeAll(async () => {
    certs = makeTestCertificates();
    for (const i of [0, 1]) {
      const server = await startHttpsServer({ cert: certs.serverCert, key: certs.serverKey }, (req, res) => {
        counts[i] = (counts[i] as number) + 1;
        req.resume();
        res.end('ok');
      });
      servers.push(server);
      urls.push(server.url);
    }
  });
  afterAll(() => Promise.all(servers.map((server) => server.close())));

  /** The head by --target, so the messages show it (one from the environment, TARGET_URL, would show as ***). */
  const pairedRun = async (extra: string): Promise<{ code: number; log: string; head: number; base: number }> => {
    const file = join(certs.dir, `paired-${Math.random().toString(36).slice(2)}.yml`);
    writeFileSync(file, `target: \${TARGET_URL}\n${extra}scenarios: { s: { executor: constant-vus, vus: 2, duration: 4s } }\njourneys: { j: { steps: [{ name: home, request: GET / }] } }\n`);
    const before = [...counts];
    const io = captureIo({});
    const code = await main(['run', '--config', file, '--target', urls[0] as string, '--baseline-target', urls[1] as string, '--pair-block', '1s', '--pair-settle', '0s', '--quiet'], io);
    return { code, log: io.log.join('\n'), head: (counts[0] as number) - (before[0] as number), base: (counts[1] as number) - (before[1] as number) };
  };

  it('trusts the tlsCaFile for both targets, before the load and in it', async () => {
    const run = await pairedRun('tlsCaFile: ca.pem\n');
    expect(run.code).not.toBe(2);
    expect(run.head).toBeGreaterThan(0);
    expect(run.base).toBeGreaterThan(0);
    expect(run.log).toContain(`tlsCaFile: ${urls[0]} and ${urls[1]} is verified against ca.pem`);
  }, 30_000);

  it('accepts both targets’ certificates with insecureSkipTLSVerify, and warns', async () => {
    const run = await pairedRun('insecureSkipTLSVerify: true\n');
    expect(run.code).not.toBe(2);
    expect(run.head).toBeGreaterThan(0);
    expect(run.base).toBeGreaterThan(0);
    expect(run.log).toContain(`insecureSkipTLSVerify: the certificate of ${urls[0]} and ${urls[1]} is not verified`);
  }, 30_000);

  it('refuses both without either (could not run, nothing sent)', async () => {
    const run = await pairedRun('');
    expect(run.code).toBe(2);
    expect(run.log).toMatch(/head target .* is unreachable: the TLS handshake .* signed by a CA this machine does not trust/);
    expect(run.head + run.base).toBe(0);
  }, 30_000);
});

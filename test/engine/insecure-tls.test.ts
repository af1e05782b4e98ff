import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { checkAnswering } from '../../src/engine/reachability.js';
import { captureIo } from '../cli/cli-io.js';

/** k6's insecureSkipTLSVerify: a self-signed https target on loopback is loaded when the profile says so. */
const TLS_DIR = join(import.meta.dirname, '../fixtures/tls');
const CERT = readFileSync(join(TLS_DIR, 'self-signed.crt'), 'utf8');
const KEY = readFileSync(join(TLS_DIR, 'self-signed.key'), 'utf8');

describe('insecureSkipTLSVerify', () => {
  let https: Server;
  let url: string;
  let requests = 0;
  beforeAll(async () => {
    https = createHttpsServer({ cert: CERT, key: KEY }, (req, res) => {
      requests++;
      req.resume();
      res.end('ok');
    });
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(https.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    https.closeAllConnections();
    await new Promise((resolve) => https.close(resolve));
  });

  const profileFile = (insecure: boolean): string => {
    const file = join(mkdtempSync(join(tmpdir(), 'tailgate-insecure-')), 'p.yml');
    writeFileSync(file, `target: \${TARGET_URL}\n${insecure ? 'insecureSkipTLSVerify: true\n' : ''}scenarios: { s: { executor: shared-iterations, vus: 2, iterations: 6 } }\njourneys: { j: { steps: [{ name: home, request: GET / }] } }\n`);
    return file;
  };

  it('loads a self-signed target, saying its certificate is not verified; inspect says so too', async () => {
    // The target by --target: one from the environment (TARGET_URL) would show as ***.
    const file = profileFile(true);
    const io = captureIo({});
    const before = requests;
    expect(await main(['run', '--config', file, '--target', url], io)).toBe(0);
    expect(requests - before).toBe(6);
    expect(io.log.join('\n')).toContain(`insecureSkipTLSVerify: the certificate of ${url} is not verified`);
    const inspect = captureIo({});
    expect(await main(['inspect', '--config', file, '--target', url], inspect)).toBe(0);
    expect(inspect.out()).toContain(`target ${url} (insecureSkipTLSVerify: its certificate is not verified)`);
  }, 20_000);

  it('still refuses the target without it', async () => {
    const io = captureIo({ TARGET_URL: url });
    expect(await main(['run', '--config', profileFile(false)], io)).toBe(2);
    expect(io.log.join('\n')).toMatch(/self-signed/);
  }, 20_000);

  it('lets the Action’s wait for the target pass the handshake and the request', async () => {
    expect(await checkAnswering(url, {})).toMatch(/self-signed/);
    expect(await checkAnswering(url, {}, 5000, { rejectUnauthorized: false })).toBeUndefined();
  });

  it('is true or false, nothing else', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tailgate-insecure-')), 'p.yml');
    writeFileSync(file, `target: ${url}\ninsecureSkipTLSVerify: "yes"\nscenarios: { s: { executor: constant-vus, duration: 1s } }\njourneys: { j: { steps: [{ request: GET / }] } }\n`);
    const io = captureIo({});
    expect(await main(['inspect', '--config', file], io)).toBe(2);
    expect(io.log.join('\n')).toContain(`${file}:2:24 insecureSkipTLSVerify: must be true or false (got "yes")`);
  });
});

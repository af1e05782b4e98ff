import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { checkAnswering, checkConnection } from '../../src/engine/reachability.js';
import { captureIo } from '../cli/cli-io.js';
import { startServer, type LoopbackServer } from '../helpers/loopback-server.js';

/** A self-signed certificate for 127.0.0.1 and localhost, committed for these tests only. */
const TLS_DIR = join(import.meta.dirname, '../fixtures/tls');
const CERT = readFileSync(join(TLS_DIR, 'self-signed.crt'), 'utf8');
const KEY = readFileSync(join(TLS_DIR, 'self-signed.key'), 'utf8');

/** An https target whose certificate nobody trusts is refused before the load, with the fix. */
describe('the TLS handshake before the load', () => {
  let https: Server;
  let url: string;
  let requests = 0;
  let plain: LoopbackServer;
  beforeAll(async () => {
    https = createHttpsServer({ cert: CERT, key: KEY }, (req, res) => {
      requests++;
      req.resume();
      res.end('ok');
    });
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(https.address() as AddressInfo).port}`;
    plain = await startServer((req, res) => res.end('plain'));
  });
  afterAll(async () => {
    https.closeAllConnections();
    await new Promise((resolve) => https.close(resolve));
    await plain.close();
  });

  it.each([
    ['a self-signed certificate', () => url, /^the TLS handshake with 127\.0\.0\.1:\d+ failed: the certificate is self-signed, so no request would trust it \(DEPTH_ZERO_SELF_SIGNED_CERT\)$/],
    ['a plain http server', () => plain.url.replace('http:', 'https:'), /^the TLS handshake with 127\.0\.0\.1:\d+ failed: the server does not speak TLS on this port \(is it plain http\?\) \(ERR_SSL_/],
  ])('%s fails it, with the fix', async (_, target, problem) => {
    const unreachable = await checkConnection(target());
    expect(unreachable?.kind).toBe('tls');
    expect(unreachable?.problem).toMatch(problem);
    expect(unreachable?.fix).toMatch(/NODE_EXTRA_CA_CERTS=\/path\/to\/ca\.pem/);
  });

  it('passes with the certificate trusted, by IP and by host name', async () => {
    expect(await checkConnection(url, 5000, { ca: CERT })).toBeUndefined();
    expect(await checkConnection(url.replace('127.0.0.1', 'localhost'), 5000, { ca: CERT, host: '127.0.0.1' })).toBeUndefined();
  });

  it('tells a refused connection from a failed handshake', async () => {
    const refused = await checkConnection('https://127.0.0.1:1');
    expect(refused).toEqual({ kind: 'connect', problem: 'cannot connect to 127.0.0.1:1 (ECONNREFUSED)', fix: 'Start it, or pass the right --target' });
  });

  it('the Action\'s wait says the fix too', async () => {
    expect(await checkAnswering(url, {})).toMatch(/self-signed.*\. If the certificate is one you trust.*NODE_EXTRA_CA_CERTS/);
  });

  it('tailgate run exits 2 with the problem and the fix, having sent no request', async () => {
    const io = captureIo({});
    const file = join(mkdtempSync(join(tmpdir(), 'tailgate-tls-')), 'p.yml');
    // The target written in the profile, so the message shows it (one from the environment would show as ***).
    writeFileSync(file, `target: ${url}\nscenarios: { s: { executor: constant-vus, vus: 1, duration: 1s } }\njourneys: { j: { steps: [{ request: GET / }] } }\n`);
    const before = requests;
    expect(await main(['run', '--config', file], io)).toBe(2);
    expect(io.log.join('\n')).toMatch(/the target https:\/\/127\.0\.0\.1:\d+ is unreachable: the TLS handshake .* self-signed.*\. If the certificate is one you trust.*NODE_EXTRA_CA_CERTS/);
    expect(requests).toBe(before);
  }, 20_000);
});

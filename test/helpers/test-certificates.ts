import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { RequestListener } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** A CA made for one test run and a server certificate it signed, PEM, for loopback https servers. */
export interface TestCertificates {
  /** The folder holding `ca.pem` (the CA's certificate), `server.pem` and `server.key`. */
  dir: string;
  caPem: string;
  serverCert: string;
  serverKey: string;
}

/** Whether `openssl` can be run here (the certificates are made with it). */
export function haveOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes a throw-away CA (EC P-256, a day long) and a server certificate signed by it for
 * `names` (DNS names and IPs, e.g. 127.0.0.1, localhost), with openssl, in a fresh temp folder.
 */
export function makeTestCertificates(names: string[] = ['127.0.0.1', 'localhost']): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'tailgate-ca-'));
  const run = (args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe', timeout: 20_000 });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=tailgate test CA (throw-away)', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
  run(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=tailgate test server']);
  const san = names.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
  writeFileSync(join(dir, 'server.ext'), `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'server.ext']);
  const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
  return { dir, caPem: read('ca.pem'), serverCert: read('server.pem'), serverKey: read('server.key') };
}

/** An https server on 127.0.0.1 with `cert` and `key`, answering with `handler`; closed with its connections. */
export async function startHttpsServer(tls: { cert: string; key: string }, handler: RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(tls, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

import { connect, isIP } from 'node:net';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';
import { Agent, ProxyAgent, request } from 'undici';
import { authorityOf, openTunnel, ProxyError, ProxyTlsError } from './proxy-tunnel.js';

/** Why the target cannot take the load, and what to do about it. */
export interface Unreachable {
  /** `connect`: nothing accepted the connection; `tls`: the handshake failed after it. */
  kind: 'connect' | 'tls';
  problem: string;
  fix: string;
}

/**
 * Whether the target's origin accepts a connection, and for https whether its certificate passes
 * the TLS handshake: checked once before the load starts, so an unreachable target, or one whose
 * certificate no request would accept, is reported as such ("could not run"), not as a run full
 * of `refused` or `tls` errors. Resolves to undefined when reachable. `tls` adds options to the
 * handshake (tests pass their own CA).
 */
export function checkConnection(origin: string, timeoutMs = 5000, tls: ConnectionOptions = {}, proxy?: URL): Promise<Unreachable | undefined> {
  if (proxy) return checkThroughProxy(origin, timeoutMs, tls, proxy);
  const url = new URL(origin);
  const secure = url.protocol === 'https:';
  const port = Number(url.port || (secure ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const unreachable = (problem: string): Unreachable => ({ kind: 'connect', problem, fix: 'Start it, or pass the right --target' });
  return new Promise((resolve) => {
    let connected = false;
    const socket = secure
      ? connectTls({ host, port, ...(isIP(host) === 0 ? { servername: host } : {}), ALPNProtocols: ['http/1.1'], ...tls })
      : connect({ host, port });
    const done = (result: Unreachable | undefined): void => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () =>
      done(connected ? handshakeFailed(host, port, `no answer within ${timeoutMs / 1000}s`) : unreachable(`no answer from ${host}:${port} within ${timeoutMs / 1000}s`)),
    );
    socket.once('connect', () => {
      connected = true;
      if (!secure) done(undefined);
    });
    socket.once('secureConnect', () => done(undefined));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? error.message;
      done(connected ? handshakeFailed(host, port, describeTlsError(error)) : unreachable(`cannot connect to ${host}:${port} (${code})`));
    });
  });
}

/**
 * The check through a proxy (proxy-tunnel.ts), as the load goes: for https a tunnel to the target,
 * then the TLS handshake over it; for http one GET of the origin in absolute form, where 502, 503
 * or 504 (the proxy could not reach it) or 407 fail it, since the proxy, not tailgate, connects.
 */
async function checkThroughProxy(origin: string, timeoutMs: number, tls: ConnectionOptions, proxy: URL): Promise<Unreachable | undefined> {
  const url = new URL(origin);
  const via = `through the proxy ${proxy.protocol}//${proxy.host}`;
  const unreachable = (problem: string): Unreachable => ({
    kind: 'connect',
    problem: `cannot reach ${url.host} ${via}: ${problem}`,
    fix: 'Check the proxy variable (HTTPS_PROXY or HTTP_PROXY: its address, and credentials as http://user:password@host:port), or exempt the target with NO_PROXY',
  });
  if (url.protocol === 'http:') {
    const dispatcher = new ProxyAgent({ uri: proxy.href, proxyTls: tls as ProxyAgent.Options['proxyTls'] });
    try {
      const response = await request(`${url.origin}/`, { method: 'GET', headersTimeout: timeoutMs, bodyTimeout: timeoutMs, reset: true, dispatcher });
      await response.body.dump();
      if (response.statusCode === 407 || NOT_READY_STATUSES.has(response.statusCode)) return unreachable(`GET ${url.origin}/ answered ${response.statusCode}`);
      return undefined;
    } catch (error) {
      return proxyTlsFailure(proxy, error, true) ?? unreachable(describeFailure(error));
    } finally {
      await dispatcher.close();
    }
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      tunnel.destroy();
      resolve(unreachable(`no answer within ${timeoutMs / 1000}s`));
    }, timeoutMs);
    const tunnel = openTunnel(proxy, authorityOf(url), (error, socket) => {
      if (error || !socket) {
        clearTimeout(timer);
        return resolve(proxyTlsFailure(proxy, error, false) ?? unreachable(describeFailure(error)));
      }
      const secure = connectTls({ socket, ...(isIP(host) === 0 ? { servername: host } : {}), ALPNProtocols: ['http/1.1'], ...tls });
      const done = (result: Unreachable | undefined): void => {
        clearTimeout(timer);
        secure.destroy();
        resolve(result);
      };
      secure.once('secureConnect', () => done(undefined));
      secure.once('error', (e: NodeJS.ErrnoException) => done(handshakeFailed(host, port, describeTlsError(e))));
    }, tls);
  });
}

/**
 * A failed TLS handshake with an https proxy, said as one with a target is: its certificate is
 * checked with the load's TLS settings, so the fix is the same. For an http target through an
 * https proxy any TLS error is the proxy's (undici's proxy agent gives the socket's error). Else
 * undefined.
 */
function proxyTlsFailure(proxy: URL, error: unknown, targetIsHttp: boolean): Unreachable | undefined {
  let tlsError: NodeJS.ErrnoException | undefined;
  if (error instanceof ProxyTlsError) tlsError = error.tlsError;
  else if (targetIsHttp && proxy.protocol === 'https:') tlsError = [error, (error as { cause?: unknown } | null)?.cause].find(isTlsError);
  if (tlsError === undefined) return undefined;
  return {
    kind: 'tls',
    problem: `the TLS handshake with the https proxy ${proxy.host} failed: ${describeTlsError(tlsError)}`,
    fix:
      "An https proxy's certificate is checked as the target's is: trust its CA with the profile's tlsCaFile, or with " +
      'NODE_EXTRA_CA_CERTS=/path/to/ca.pem in the environment of tailgate; or write the proxy variable as http://host:port if the proxy speaks plain http',
  };
}

/** An error of a TLS handshake: a certificate that fails verification, or TLS that is not spoken. */
function isTlsError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && (UNTRUSTED_CERTIFICATE.has(code) || code === 'CERT_HAS_EXPIRED' || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_'));
}

function describeFailure(error: unknown): string {
  if (error instanceof ProxyError) return error.message;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code ?? (error instanceof Error ? error.message : String(error));
}

/** checkConnection's problem alone, or undefined when reachable. */
export async function checkReachable(origin: string, timeoutMs = 5000, tls: ConnectionOptions = {}): Promise<string | undefined> {
  return (await checkConnection(origin, timeoutMs, tls))?.problem;
}

const UNTRUSTED_CERTIFICATE = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

function handshakeFailed(host: string, port: number, reason: string): Unreachable {
  return {
    kind: 'tls',
    problem: `the TLS handshake with ${host}:${port} failed: ${reason}`,
    fix:
      'If the certificate is one you trust (a self-signed or internal CA), give Node.js its CA file: ' +
      'NODE_EXTRA_CA_CERTS=/path/to/ca.pem in the environment of tailgate (the step\'s env: in a workflow); ' +
      'otherwise fix the certificate, or target the service over http',
  };
}

function describeTlsError(error: NodeJS.ErrnoException): string {
  const code = error.code ?? '';
  const what = UNTRUSTED_CERTIFICATE.has(code)
    ? code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN'
      ? 'the certificate is self-signed, so no request would trust it'
      : 'the certificate is signed by a CA this machine does not trust'
    : code === 'CERT_HAS_EXPIRED'
      ? 'the certificate has expired'
      : code === 'ERR_TLS_CERT_ALTNAME_INVALID'
        ? 'the certificate is not valid for this host name'
        : code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG'
          ? 'the server does not speak TLS on this port (is it plain http?)'
          : error.message;
  return code === '' ? what : `${what} (${code})`;
}

/**
 * What a gateway answers for a service behind it that is not up (yet): a preview deployment
 * behind a CDN or load balancer accepts connections long before its app can answer.
 */
const NOT_READY_STATUSES = new Set([502, 503, 504]);

/**
 * Whether the target answers HTTP: a GET of its base URL (with the profile's default headers),
 * ready unless the connection fails or the answer is 502, 503 or 504. Any other status, 404 or
 * 500 included, means the app itself answered. Resolves to undefined when ready, else to why not.
 */
export async function checkAnswering(url: string, headers: Record<string, string>, timeoutMs = 5000, tls: ConnectionOptions = {}, proxy?: URL): Promise<string | undefined> {
  const connected = await checkConnection(url, timeoutMs, tls, proxy);
  if (connected !== undefined) return connected.kind === 'tls' ? `${connected.problem}. ${connected.fix}` : connected.problem;
  // The probe goes as the load will (insecureSkipTLSVerify, tlsCaFile, the proxy): its own agent, closed after.
  const dispatcher = proxy
    ? new ProxyAgent({ uri: proxy.href, requestTls: tls as ProxyAgent.Options['requestTls'], proxyTls: tls as ProxyAgent.Options['proxyTls'] })
    : Object.keys(tls).length > 0
      ? new Agent({ connect: tls })
      : undefined;
  try {
    const response = await request(url, { method: 'GET', headers, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, reset: true, ...(dispatcher ? { dispatcher } : {}) });
    await response.body.dump();
    if (NOT_READY_STATUSES.has(response.statusCode)) return `GET ${url} answered ${response.statusCode}`;
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return `GET ${url} failed (${code ?? (error instanceof Error ? error.message : String(error))})`;
  } finally {
    await dispatcher?.close();
  }
}

/**
 * Polls `check` until it finds the target ready or `timeoutMs` passes (a preview deployment may
 * still be starting). Resolves to undefined once ready, else to the last problem.
 */
export async function waitUntilReady(
  check: (timeoutMs: number) => Promise<string | undefined>,
  timeoutMs: number,
  options: { everyMs?: number; now?: () => number; sleep?: (ms: number) => Promise<void>; onWait?: (problem: string) => void } = {},
): Promise<string | undefined> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = now() + timeoutMs;
  for (;;) {
    const problem = await check(Math.max(1000, Math.min(5000, deadline - now())));
    if (problem === undefined) return undefined;
    if (now() >= deadline) return `${problem}; still not ready after ${timeoutMs / 1000}s`;
    options.onWait?.(problem);
    await sleep(Math.min(options.everyMs ?? 2000, Math.max(0, deadline - now())));
  }
}

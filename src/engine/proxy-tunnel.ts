import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';
import { buildConnector } from 'undici';
import type { Connector } from './continue-responses.js';

/**
 * The load through an HTTP proxy, as Go (so k6) and curl send it: an https target through a
 * tunnel (`CONNECT host:port`, then TLS with the target over it, so the proxy sees only the host),
 * an http target as absolute-form requests to the proxy (`GET http://host:port/path`). Either way
 * every request is for the target's origin: the proxy is the transport, never a destination.
 * An https proxy (`https://proxy:3128`) is spoken to over TLS first, verified with the load's TLS
 * settings (tlsCaFile, insecureSkipTLSVerify), as Go applies its TLS settings to an https proxy.
 */

/** How long the proxy may take to accept the connection and answer CONNECT. */
const TUNNEL_TIMEOUT_MS = 10_000;
/** The longest answer to CONNECT read before giving up on it. */
const MAX_HEAD_BYTES = 16 * 1024;

/** A failure of the proxy itself (it refused the tunnel, asked for credentials, or broke off). */
export class ProxyError extends Error {
  constructor(
    message: string,
    /** The proxy's status, when it answered. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ProxyError';
  }
}

/** The TLS handshake with an https proxy failed (its certificate is not trusted, it speaks no TLS...). */
export class ProxyTlsError extends ProxyError {
  /** The TLS error's code, so that a failed request through it counts as a `tls` error. */
  readonly code: string | undefined;

  constructor(
    proxy: URL,
    /** What the handshake failed with. */
    readonly tlsError: NodeJS.ErrnoException,
  ) {
    super(`the TLS handshake with the proxy ${proxy.host} failed (${tlsError.code ?? tlsError.message})`);
    this.name = 'ProxyTlsError';
    this.code = tlsError.code;
  }
}

/** `Proxy-Authorization` for a proxy URL with credentials (`http://user:password@host:port`), else undefined. */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (proxy.username === '' && proxy.password === '') return undefined;
  const user = decodeURIComponent(proxy.username);
  const password = decodeURIComponent(proxy.password);
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** The authority of a target for CONNECT: `host:port`, an IPv6 host in brackets. */
export function authorityOf(target: URL): string {
  return `${target.hostname}:${target.port || (target.protocol === 'https:' ? 443 : 80)}`;
}

/**
 * Opens a tunnel to `authority` (`host:port`) through the proxy; calls back with its socket, or
 * with a ProxyError or socket error (for an https proxy, a failed handshake with it is a
 * ProxyTlsError). `tls` verifies an https proxy's certificate.
 */
export function openTunnel(proxy: URL, authority: string, callback: (error: Error | null, socket?: Socket) => void, tls: ConnectionOptions = {}): Socket {
  const port = Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80));
  const host = proxy.hostname.replace(/^\[|\]$/g, '');
  const secure = proxy.protocol === 'https:';
  // An IP address is no server name (RFC 6066): the certificate is checked against the IP.
  const socket = secure ? connectTls({ host, port, ...(isIP(host) === 0 ? { servername: host } : {}), ALPNProtocols: ['http/1.1'], ...tls }) : connectTcp({ host, port });
  // Between the TCP connection and the end of the handshake, an error is the handshake's.
  let connected = false;
  let handshaken = !secure;
  socket.once('connect', () => {
    connected = true;
  });
  let head = Buffer.alloc(0);
  let settled = false;
  const settle = (error: Error | null): void => {
    if (settled) return;
    settled = true;
    socket.setTimeout(0);
    socket.off('data', onData);
    if (error) {
      socket.destroy();
      callback(error);
    } else callback(null, socket);
  };
  const onData = (chunk: Buffer): void => {
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end === -1) {
      if (head.length > MAX_HEAD_BYTES) settle(new ProxyError(`the proxy ${proxy.host} sent an answer to CONNECT longer than ${MAX_HEAD_BYTES} bytes`));
      return;
    }
    const statusLine = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? NaN);
    if (status !== 200) {
      const why = Number.isNaN(status) ? `answered CONNECT with ${JSON.stringify(statusLine.slice(0, 80))}` : status === 407 ? 'asks for credentials (407 Proxy Authentication Required)' : `answered ${statusLine.slice(9, 80)} to CONNECT ${authority}`;
      settle(new ProxyError(`the proxy ${proxy.host} ${why}`, Number.isNaN(status) ? undefined : status));
      return;
    }
    // Over a tunnel the client speaks first (TLS's hello): bytes before it are not the target's.
    if (head.length > end + 4) settle(new ProxyError(`the proxy ${proxy.host} sent bytes after its answer to CONNECT, before the tunnel was used`));
    else settle(null);
  };
  socket.setTimeout(TUNNEL_TIMEOUT_MS, () => settle(new ProxyError(`the proxy ${proxy.host} did not open a tunnel within ${TUNNEL_TIMEOUT_MS / 1000}s`)));
  socket.once('error', (error: NodeJS.ErrnoException) => settle(connected && !handshaken ? new ProxyTlsError(proxy, error) : error));
  socket.once('close', () => settle(new ProxyError(`the proxy ${proxy.host} closed the connection before it answered CONNECT`)));
  socket.once(secure ? 'secureConnect' : 'connect', () => {
    handshaken = true;
    const authorization = proxyAuthorization(proxy);
    socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${authorization ? `Proxy-Authorization: ${authorization}\r\n` : ''}\r\n`);
  });
  socket.on('data', onData);
  return socket;
}

/**
 * undici's connector for a target reached through a tunnel: each connection is its own CONNECT,
 * then for https the TLS handshake with the target over it (with the target's TLS options, which
 * an https proxy's handshake uses too).
 */
export function tunnelConnector(proxy: URL, tls: { rejectUnauthorized?: false; ca?: string[] }): Connector {
  const overTunnel = buildConnector({ ...tls, allowH2: false });
  return (options, callback) => {
    openTunnel(proxy, `${options.hostname}:${options.port || (options.protocol === 'https:' ? 443 : 80)}`, (error, socket) => {
      if (error || !socket) return callback(error ?? new ProxyError('no tunnel'), null);
      if (options.protocol !== 'https:') return callback(null, socket);
      overTunnel({ ...options, httpSocket: socket }, callback);
    }, tls);
  };
}

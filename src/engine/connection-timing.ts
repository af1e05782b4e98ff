import type { Socket } from 'node:net';
import { buildConnector } from 'undici';
import type { Connector } from './continue-responses.js';

/**
 * When a pool connection was last opened (performance.now(), ms): the connector was called, the
 * host name resolved, the TCP connection made, the connection ready (after its TLS handshake).
 * `fresh` says the next request on it is the first since: that request carries its connect and
 * handshake times (k6's http_req_connecting and http_req_tls_handshaking); later ones carry 0.
 */
export class ConnectTiming {
  fresh = false;
  startedMs = 0;
  lookedUpMs = 0;
  connectedMs = 0;
  readyMs = 0;
  encrypted = false;

  /** The TCP connect's duration, ms: from the resolved address (or the start) to the connection. */
  connectingMs(): number {
    return this.tcpMs() - (this.lookedUpMs || this.startedMs);
  }

  /** The TLS handshake's duration, ms: 0 for plain TCP. */
  tlsHandshakingMs(): number {
    return this.encrypted ? this.readyMs - this.tcpMs() : 0;
  }

  /**
   * When the TCP connection was made. A socket that said nothing of it (a tunnel through a proxy,
   * a test's connector) is taken as connected when it was ready: its setup counts as connecting.
   */
  private tcpMs(): number {
    return this.connectedMs || this.readyMs;
  }
}

/**
 * `connector` (undici's default when undefined) noting in `timing` when each connection starts,
 * resolves, connects and is ready, from the socket's own `lookup` and `connect` events: nothing
 * is done per request, only per connection.
 */
export function timedConnector(connector: Connector | undefined, timing: ConnectTiming): Connector {
  const connect = connector ?? buildConnector({});
  return (options, callback) => {
    timing.startedMs = performance.now();
    timing.lookedUpMs = 0;
    timing.connectedMs = 0;
    const socket = connect(options, (...args) => {
      const [error, ready] = args;
      if (error === null) {
        timing.readyMs = performance.now();
        timing.encrypted = (ready as Socket & { encrypted?: boolean }).encrypted === true && timing.connectedMs !== 0;
        timing.fresh = true;
      }
      callback(...args);
    }) as unknown as Socket | undefined;
    if (socket !== undefined && typeof socket.prependOnceListener === 'function') {
      // First in line: the pool's own listener sets up its parser (slow the first time) before others run.
      socket.prependOnceListener('lookup', () => (timing.lookedUpMs = performance.now()));
      socket.prependOnceListener('connect', () => (timing.connectedMs = performance.now()));
    }
    return socket as never;
  };
}

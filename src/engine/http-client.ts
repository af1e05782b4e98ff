import { buildConnector, Client } from 'undici';
import type { Dispatcher } from 'undici';
import type { RequestTimings } from '../record/request-phases.js';
import { ConnectTiming, timedConnector } from './connection-timing.js';
import { skippingContinue, type Connector } from './continue-responses.js';
import { cookieSite, type CookieJar, type CookieSite } from './cookie-jar.js';
import { proxyAuthorization, tunnelConnector } from './proxy-tunnel.js';

export interface HttpRequest {
  method: string;
  /** Path and query, already joined with the target's base path. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /**
   * Keep the response body up to this many bytes (for captures); 0 drains and drops it. A longer
   * body is drained, not buffered, and the outcome says `bodyTooLarge` instead of giving it.
   */
  keepBodyBytes: number;
  /** Keep the response headers (for checks that read them). */
  keepHeaders?: boolean;
}

/** Response headers by lower-case name, as undici gives them. */
export type ResponseHeaders = Record<string, string | string[] | undefined>;

/**
 * How a request ended. `serverTiming` is the response's `Server-Timing` header (several headers,
 * a list), always kept when present: a lookup, nothing allocated when absent. `timings` are the
 * request's phases as k6 names them (record/request-phases.ts).
 */
export type HttpOutcome =
  | { ok: true; status: number; timings?: RequestTimings; body?: Buffer; bodyTooLarge?: true; headers?: ResponseHeaders; serverTiming?: string | string[] }
  | { ok: false; error: Error };

export type OutcomeCallback = (outcome: HttpOutcome) => void;

/**
 * The one side effect the engine needs: send a request, learn how it ended. `done` is called once,
 * never before `send` returns. It is a callback, not a promise, so a virtual user can send its next
 * request from inside it: the connection just freed is then reused at once.
 */
export interface HttpClient {
  /**
   * `arm` names the target in paired mode (see `paired-http-client.ts`); a single pool ignores it.
   * With a `jar`, the jar's cookies for this target and path go in the Cookie header (after the
   * request's own), and the response's `Set-Cookie` go into the jar.
   */
  send(request: HttpRequest, done: OutcomeCallback, arm?: number, jar?: CookieJar): void;
  /** Lets in-flight requests finish, then closes every connection. */
  close(): Promise<void>;
  /** Ends in-flight requests at once (they fail) and closes every connection. */
  destroy(): Promise<void>;
}

export interface PoolOptions {
  /** The most connections to the origin at once: one per VU that can be busy. */
  connections: number;
  /** Replaces undici's connector; tests use it to inject a failing DNS lookup. */
  connect?: Connector;
  /**
   * Options of the target's TLS handshakes: `rejectUnauthorized: false` accepts any certificate
   * (k6's insecureSkipTLSVerify), `ca` the CAs to trust (tlsCaFile). Absent: Node.js's defaults.
   */
  tls?: { rejectUnauthorized?: false; ca?: string[] };
  /**
   * An HTTP proxy the connections go through (proxy-tunnel.ts): a tunnel per connection for an
   * https target, absolute-form requests for an http one; an https proxy's certificate is
   * verified with `tls`, as the target's. Absent: straight to the origin.
   */
  proxy?: URL;
}

/** An http target through a proxy: requests go to the proxy in absolute form, for the target's host. */
interface Forwarding {
  /** The target's origin, before each path. */
  prefix: string;
  /** `host` (the target's) and `proxy-authorization`, beneath the request's own headers. */
  headers: Record<string, string>;
}

/**
 * Keep-alive connections to the target's origin, one undici Client each, handed out from a stack
 * of idle ones: a request takes a free connection in constant time, or opens a new one up to
 * `connections`, or waits its turn. No pipelining (one request per connection at a time, as a
 * browser or a k6 VU), bodies always drained, redirects never followed, an unsolicited
 * `100 Continue` skipped (continue-responses.ts).
 */
export function createHttpClient(origin: string, options: PoolOptions): HttpClient {
  const clientOptions: Client.Options = { pipelining: 1, keepAliveTimeout: 10_000 };
  const tls = options.tls ?? {};
  const proxy = options.proxy;
  const forwarding = proxy && new URL(origin).protocol === 'http:' ? forwardingTo(origin, proxy) : undefined;
  const clientOrigin = proxy && forwarding ? proxy.origin : origin;
  // Forwarded requests speak TLS with the proxy, if with anyone (an https proxy): verified with the same options.
  const connector = options.connect ?? (proxy && !forwarding ? tunnelConnector(proxy, tls) : Object.keys(tls).length > 0 ? buildConnector({ ...tls }) : undefined);
  const all: Connection[] = [];
  const idle: Connection[] = [];
  const site = cookieSite(origin);
  const waiting: Array<{ request: HttpRequest; done: OutcomeCallback; jar: CookieJar | undefined; queuedAtMs: number }> = [];
  let waitingHead = 0;

  const release = (connection: Connection): void => {
    if (waitingHead < waiting.length) {
      const next = waiting[waitingHead] as { request: HttpRequest; done: OutcomeCallback; jar: CookieJar | undefined; queuedAtMs: number };
      waiting[waitingHead++] = undefined as never;
      if (waitingHead === waiting.length) waiting.length = waitingHead = 0;
      connection.send(next.request, next.done, next.jar, next.queuedAtMs);
    } else idle.push(connection);
  };

  return {
    send: (request, done, _arm, jar) => {
      // From here the request is blocked (k6's http_req_blocked) until it starts on a connection.
      const queuedAtMs = performance.now();
      let connection = idle.pop();
      if (!connection && all.length < options.connections) {
        connection = new Connection(clientOrigin, clientOptions, connector, release, forwarding, site);
        all.push(connection);
      }
      if (connection) connection.send(request, done, jar, queuedAtMs);
      else waiting.push({ request, done, jar, queuedAtMs });
    },
    close: async () => {
      await Promise.all(all.map((c) => c.client.close()));
    },
    destroy: async () => {
      await Promise.all(all.map((c) => c.client.destroy()));
    },
  };
}

function forwardingTo(origin: string, proxy: URL): Forwarding {
  const authorization = proxyAuthorization(proxy);
  return { prefix: origin, headers: { host: new URL(origin).host, ...(authorization ? { 'proxy-authorization': authorization } : {}) } };
}

/**
 * One keep-alive connection and the handler of its one request in flight. Without pipelining a
 * connection carries one request at a time, so the handler is reused: nothing is allocated per
 * request beyond the request itself. The connection goes back to the pool before `done` runs, so a
 * request sent from `done` takes this same, warm connection.
 */
class Connection implements Dispatcher.DispatchHandler {
  readonly client: Client;
  /** From sending a request until its final status line: a `100 Continue` may come first. */
  private awaitingStatus = false;
  private status = 0;
  private chunks: Buffer[] | undefined;
  private keepBodyBytes = 0;
  private keptBytes = 0;
  private bodyTooLarge = false;
  private keepHeaders = false;
  private headers: ResponseHeaders | undefined;
  private serverTiming: string | string[] | undefined;
  private done: OutcomeCallback | undefined;
  /**
   * The request's moments (performance.now(), ms): handed to the pool, started on this
   * connection, written, its final headers; what they make is the outcome's `timings`.
   */
  private queuedAtMs = 0;
  private startedMs = 0;
  private sentMs = 0;
  private headersMs = 0;
  /** When this connection was last opened: its first request carries the connect and handshake. */
  private readonly connectTiming = new ConnectTiming();
  /** The cookie jar of the request in flight, and its path, for the response's `Set-Cookie`. */
  private jar: CookieJar | undefined;
  private path = '';

  constructor(
    origin: string,
    options: Client.Options,
    connector: Connector | undefined,
    private readonly release: (connection: Connection) => void,
    private readonly forwarding: Forwarding | undefined,
    /** The target's host and scheme, as cookies match them (not the proxy's). */
    private readonly site: CookieSite,
  ) {
    this.client = new Client(origin, { ...options, connect: skippingContinue(timedConnector(connector, this.connectTiming), () => this.awaitingStatus) });
  }

  send(request: HttpRequest, done: OutcomeCallback, jar: CookieJar | undefined, queuedAtMs: number): void {
    this.status = 0;
    this.jar = jar;
    this.path = request.path;
    const cookies = jar?.header(this.site, request.path);
    const own = cookies === undefined ? undefined : request.headers.cookie;
    // A request built once is shared by every iteration: cookies go in a copy of its headers.
    const headers = cookies === undefined ? request.headers : { ...request.headers, cookie: own === undefined || own === '' ? cookies : `${own}; ${cookies}` };
    this.chunks = undefined;
    this.keepBodyBytes = request.keepBodyBytes;
    this.keptBytes = 0;
    this.bodyTooLarge = false;
    this.keepHeaders = request.keepHeaders === true;
    this.headers = undefined;
    this.serverTiming = undefined;
    this.done = done;
    this.awaitingStatus = true;
    this.queuedAtMs = queuedAtMs;
    this.startedMs = this.sentMs = 0;
    try {
      this.client.dispatch(
        {
          method: request.method as Dispatcher.HttpMethod,
          path: this.forwarding === undefined ? request.path : this.forwarding.prefix + request.path,
          headers: this.forwarding === undefined ? headers : { ...this.forwarding.headers, ...headers },
          body: request.body ?? null,
          headersTimeout: request.timeoutMs,
          bodyTimeout: request.timeoutMs,
        },
        this,
      );
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
    }
  }

  onRequestStart(): void {
    this.startedMs = performance.now();
  }

  onRequestSent(): void {
    this.sentMs = performance.now();
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: ResponseHeaders): void {
    if (statusCode < 200) return; // 1xx informational (103 Early Hints...): the response follows
    this.awaitingStatus = false;
    this.status = statusCode;
    this.headersMs = performance.now();
    if (this.keepHeaders) this.headers = headers;
    this.serverTiming = headers['server-timing'];
    if (this.jar !== undefined) this.jar.store(headers['set-cookie'], this.site, this.path);
    if (this.keepBodyBytes > 0) this.chunks = [];
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.chunks === undefined) return;
    this.keptBytes += chunk.length;
    if (this.keptBytes <= this.keepBodyBytes) this.chunks.push(chunk);
    else {
      this.chunks = undefined; // the rest is drained and dropped
      this.bodyTooLarge = true;
    }
  }

  onResponseEnd(): void {
    const timings = this.timings();
    const outcome: HttpOutcome = this.chunks
      ? { ok: true, status: this.status, timings, body: Buffer.concat(this.chunks, this.keptBytes) }
      : this.bodyTooLarge
        ? { ok: true, status: this.status, timings, bodyTooLarge: true }
        : { ok: true, status: this.status, timings };
    if (this.headers) outcome.headers = this.headers;
    if (this.serverTiming !== undefined) outcome.serverTiming = this.serverTiming;
    this.finish(outcome);
  }

  /**
   * The request's phases, k6's way. A response that came before the request was written whole
   * (a server answering early) has waited nothing: its sending ends at its headers.
   */
  private timings(): RequestTimings {
    const end = performance.now();
    const headers = this.headersMs;
    const started = this.startedMs || headers;
    const sent = this.sentMs === 0 || this.sentMs > headers ? headers : this.sentMs;
    const connection = this.connectTiming;
    const fresh = connection.fresh;
    connection.fresh = false;
    return {
      blockedMs: started - this.queuedAtMs,
      connectingMs: fresh ? connection.connectingMs() : 0,
      tlsHandshakingMs: fresh ? connection.tlsHandshakingMs() : 0,
      sendingMs: sent - started,
      waitingMs: headers - sent,
      receivingMs: end - headers,
    };
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.fail(error);
  }

  /**
   * A failure is reported a loop turn later: undici may call this from inside dispatch or while it
   * fails a whole queue (a refused connection), and a request sent back at once would re-enter it.
   */
  private fail(error: Error): void {
    setImmediate(() => this.finish({ ok: false, error }));
  }

  private finish(outcome: HttpOutcome): void {
    const done = this.done;
    if (done === undefined) return; // already settled: undici reports an outcome once, but be sure
    this.done = undefined;
    this.jar = undefined;
    this.chunks = undefined;
    this.headers = undefined;
    this.serverTiming = undefined;
    this.awaitingStatus = false;
    this.release(this);
    done(outcome);
  }
}

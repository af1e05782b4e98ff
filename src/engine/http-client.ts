import { Pool } from 'undici';
import type { Dispatcher } from 'undici';

export interface HttpRequest {
  method: string;
  /** Path and query, already joined with the target's base path. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** Keep the response body (for captures); otherwise it is drained and dropped. */
  keepBody: boolean;
}

export type HttpOutcome = { ok: true; status: number; body?: Buffer } | { ok: false; error: Error };

/** The one side effect the engine needs: send a request, learn how it ended. */
export interface HttpClient {
  send(request: HttpRequest): Promise<HttpOutcome>;
  /** Lets in-flight requests finish, then closes every connection. */
  close(): Promise<void>;
  /** Ends in-flight requests at once (they fail) and closes every connection. */
  destroy(): Promise<void>;
}

export interface PoolOptions {
  /** The most connections to the origin at once: one per VU that can be busy. */
  connections: number;
  /** Passed to undici's connector; tests use it to inject a failing DNS lookup. */
  connect?: Pool.Options['connect'];
}

/**
 * An undici Pool for the target's origin: keep-alive connections, no pipelining (one request per
 * connection at a time, as a browser or k6 VU), bodies always drained, redirects never followed.
 */
export function createHttpClient(origin: string, options: PoolOptions): HttpClient {
  const pool = new Pool(origin, {
    connections: options.connections,
    pipelining: 1,
    keepAliveTimeout: 10_000,
    ...(options.connect !== undefined ? { connect: options.connect } : {}),
  });
  return {
    send: (request) => new Promise((resolve) => dispatch(pool, request, resolve)),
    close: () => pool.close(),
    destroy: () => pool.destroy(),
  };
}

function dispatch(pool: Pool, request: HttpRequest, resolve: (outcome: HttpOutcome) => void): void {
  let status = 0;
  let chunks: Buffer[] | undefined;
  const handler: Dispatcher.DispatchHandler = {
    onRequestStart() {},
    onResponseStart(_controller, statusCode) {
      status = statusCode;
      if (request.keepBody) chunks = [];
    },
    onResponseData(_controller, chunk) {
      chunks?.push(chunk);
    },
    onResponseEnd() {
      resolve(chunks ? { ok: true, status, body: Buffer.concat(chunks) } : { ok: true, status });
    },
    onResponseError(_controller, error) {
      resolve({ ok: false, error });
    },
  };
  try {
    pool.dispatch(
      {
        method: request.method as Dispatcher.HttpMethod,
        path: request.path,
        headers: request.headers,
        body: request.body ?? null,
        headersTimeout: request.timeoutMs,
        bodyTimeout: request.timeoutMs,
      },
      handler,
    );
  } catch (error) {
    resolve({ ok: false, error: error instanceof Error ? error : new Error(String(error)) });
  }
}

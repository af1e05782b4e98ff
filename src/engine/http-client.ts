import { Client } from 'undici';
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
  connect?: Client.Options['connect'];
}

/**
 * Keep-alive connections to the target's origin, one undici Client each, handed out from a stack
 * of idle ones: a request takes a free connection in constant time, or opens a new one up to
 * `connections`, or waits its turn. No pipelining (one request per connection at a time, as a
 * browser or a k6 VU), bodies always drained, redirects never followed.
 */
export function createHttpClient(origin: string, options: PoolOptions): HttpClient {
  const clientOptions: Client.Options = {
    pipelining: 1,
    keepAliveTimeout: 10_000,
    ...(options.connect !== undefined ? { connect: options.connect } : {}),
  };
  const all: Client[] = [];
  const idle: Client[] = [];
  const waiting: Array<(client: Client) => void> = [];
  let waitingHead = 0;

  const release = (client: Client): void => {
    if (waitingHead < waiting.length) {
      const next = waiting[waitingHead] as (client: Client) => void;
      waiting[waitingHead++] = undefined as never;
      if (waitingHead === waiting.length) waiting.length = waitingHead = 0;
      next(client);
    } else idle.push(client);
  };
  const acquire = (use: (client: Client) => void): void => {
    const client = idle.pop();
    if (client) return use(client);
    if (all.length < options.connections) {
      const created = new Client(origin, clientOptions);
      all.push(created);
      return use(created);
    }
    waiting.push(use);
  };

  return {
    send: (request) =>
      new Promise((resolve) =>
        acquire((client) =>
          dispatch(client, request, (outcome) => {
            release(client);
            resolve(outcome);
          }),
        ),
      ),
    close: async () => {
      await Promise.all(all.map((c) => c.close()));
    },
    destroy: async () => {
      await Promise.all(all.map((c) => c.destroy()));
    },
  };
}

function dispatch(client: Client, request: HttpRequest, done: (outcome: HttpOutcome) => void): void {
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
      done(chunks ? { ok: true, status, body: Buffer.concat(chunks) } : { ok: true, status });
    },
    onResponseError(_controller, error) {
      done({ ok: false, error });
    },
  };
  try {
    client.dispatch(
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
    done({ ok: false, error: error instanceof Error ? error : new Error(String(error)) });
  }
}

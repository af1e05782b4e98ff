import type { CookieJar } from './cookie-jar.js';
import type { HttpClient, HttpRequest, OutcomeCallback } from './http-client.js';

/** One target of a paired run: its pool, and the base path its requests were built for. */
export interface ArmTarget {
  http: HttpClient;
  basePath: string;
}

/**
 * Paired mode's HTTP client: one pool per target, each kept apart (its own keep-alive
 * connections), a request going to the pool of its iteration's arm (0 head, 1 base). Requests are
 * built once, for the head's base path; one for the base target gets the base's path instead.
 */
export function pairedHttpClient(head: ArmTarget, base: ArmTarget): HttpClient {
  const rebase = (request: HttpRequest): HttpRequest =>
    head.basePath === base.basePath ? request : { ...request, path: base.basePath + request.path.slice(head.basePath.length) };
  return {
    send: (request: HttpRequest, done: OutcomeCallback, arm?: number, jar?: CookieJar) => {
      if (arm === 1) base.http.send(rebase(request), done, undefined, jar);
      else head.http.send(request, done, undefined, jar);
    },
    close: async () => {
      await Promise.all([head.http.close(), base.http.close()]);
    },
    destroy: async () => {
      await Promise.all([head.http.destroy(), base.http.destroy()]);
    },
  };
}

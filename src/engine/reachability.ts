import { connect } from 'node:net';
import { request } from 'undici';

/**
 * Whether the target's origin accepts a TCP connection: checked once before the load starts, so
 * an unreachable target is reported as such ("could not run"), not as a run full of errors.
 * Resolves to undefined when reachable, else to a sentence saying what failed.
 */
export function checkReachable(origin: string, timeoutMs = 5000): Promise<string | undefined> {
  const url = new URL(origin);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (problem: string | undefined): void => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer from ${host}:${port} within ${timeoutMs / 1000}s`));
    socket.once('connect', () => done(undefined));
    socket.once('error', (error: NodeJS.ErrnoException) => done(`cannot connect to ${host}:${port} (${error.code ?? error.message})`));
  });
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
export async function checkAnswering(url: string, headers: Record<string, string>, timeoutMs = 5000): Promise<string | undefined> {
  const connected = await checkReachable(url, timeoutMs);
  if (connected !== undefined) return connected;
  try {
    const response = await request(url, { method: 'GET', headers, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, reset: true });
    await response.body.dump();
    if (NOT_READY_STATUSES.has(response.statusCode)) return `GET ${url} answered ${response.statusCode}`;
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return `GET ${url} failed (${code ?? (error instanceof Error ? error.message : String(error))})`;
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

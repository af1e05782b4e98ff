import { connect } from 'node:net';

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
 * Polls the target until it accepts a connection or `timeoutMs` passes (a preview deployment
 * may still be starting). Resolves to undefined once reachable, else to the last problem.
 */
export async function waitUntilReachable(
  origin: string,
  timeoutMs: number,
  options: { everyMs?: number; now?: () => number; sleep?: (ms: number) => Promise<void>; onWait?: (problem: string) => void } = {},
): Promise<string | undefined> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = now() + timeoutMs;
  for (;;) {
    const problem = await checkReachable(origin, Math.max(1000, Math.min(5000, deadline - now())));
    if (problem === undefined) return undefined;
    if (now() >= deadline) return `${problem}; still unreachable after ${Math.round(timeoutMs / 1000)}s`;
    options.onWait?.(problem);
    await sleep(Math.min(options.everyMs ?? 2000, Math.max(0, deadline - now())));
  }
}

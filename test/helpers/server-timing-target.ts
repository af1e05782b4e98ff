import type { LoopbackServer } from './loopback-server.js';
import { startServer } from './loopback-server.js';

/** A path's `Server-Timing` value (a list sends several headers), or a function read at each request. */
export type TimingHeader = string | string[] | (() => string | string[]);

/**
 * A loopback target that says where its time went: each path answers with the `Server-Timing`
 * header (or headers) set for it, so the durations a run records are known exactly, after
 * `delayMs(path)` (at once by default). A path without an entry answers with no such header.
 */
export function startServerTimingTarget(headers: Record<string, TimingHeader>, delayMs: (path: string) => number = () => 0): Promise<LoopbackServer> {
  return startServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0] as string;
      const given = Object.hasOwn(headers, path) ? headers[path] : undefined;
      const timing = typeof given === 'function' ? given() : given;
      const answer = (): void => {
        res.writeHead(200, { 'content-type': 'text/plain', ...(timing !== undefined ? { 'server-timing': timing } : {}) });
        res.end('ok');
      };
      const wait = delayMs(path);
      if (wait > 0) setTimeout(answer, wait);
      else answer();
    });
  });
}

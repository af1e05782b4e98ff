import type { LoopbackServer } from './loopback-server.js';
import { startServer } from './loopback-server.js';

/**
 * A loopback target that says where its time went: each path answers at once with the
 * `Server-Timing` header (or headers, given as a list) set for it, so the durations a run records
 * are known exactly. A path without an entry answers with no such header.
 */
export function startServerTimingTarget(headers: Record<string, string | string[]>): Promise<LoopbackServer> {
  return startServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0] as string;
      const timing = Object.hasOwn(headers, path) ? headers[path] : undefined;
      res.writeHead(200, { 'content-type': 'text/plain', ...(timing !== undefined ? { 'server-timing': timing } : {}) });
      res.end('ok');
    });
  });
}

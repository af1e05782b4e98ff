import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * One GITHUB_API_URL in front of two fakes: requests under `/repos/<o>/<r>/actions/` go to the
 * Actions services' REST stand-in, everything else to the fake GitHub API. Real HTTP, piped.
 */
export async function startApiRouter(upstreams: { actions: string; github: string }): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const upstream = new URL(/^\/repos\/[^/]+\/[^/]+\/actions\//.test(req.url ?? '') ? upstreams.actions : upstreams.github);
    const forward = request(
      { hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

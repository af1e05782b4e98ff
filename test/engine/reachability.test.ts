import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { checkAnswering, waitUntilReady } from '../../src/engine/reachability.js';
import { startServer, type LoopbackServer } from '../helpers/loopback-server.js';

/** The Action's wait: poll until the target answers HTTP, not only until a port is open. */
describe('waiting for the target', () => {
  let server: LoopbackServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const answering = async (respond: (res: ServerResponse, seen: number) => void): Promise<LoopbackServer> => {
    let seen = 0;
    server = await startServer((req, res) => {
      req.resume();
      respond(res, ++seen);
    });
    return server;
  };

  it.each([200, 301, 401, 404, 500])('counts %i as ready: the app itself answered', async (status) => {
    const { url } = await answering((res) => res.writeHead(status).end());
    expect(await checkAnswering(url, {})).toBeUndefined();
  });

  it.each([502, 503, 504])('counts %i as not ready: a gateway answered for an app that is not up', async (status) => {
    const { url } = await answering((res) => res.writeHead(status).end('starting'));
    expect(await checkAnswering(`${url}/api`, {})).toBe(`GET ${url}/api answered ${status}`);
  });

  it('sends the default headers it is given (a protection-bypass token, say)', async () => {
    let token: string | undefined;
    server = await startServer((req, res) => {
      token = req.headers['x-bypass'] as string | undefined;
      res.writeHead(token === 'let-me-in' ? 200 : 503).end();
    });
    expect(await checkAnswering(server.url, { 'x-bypass': 'let-me-in' })).toBeUndefined();
    expect(token).toBe('let-me-in');
  });

  it('says why when nothing listens, or nothing answers in time', async () => {
    expect(await checkAnswering('http://127.0.0.1:1', {})).toMatch(/^cannot connect to 127\.0\.0\.1:1 \(ECONNREFUSED\)$/);
    const { url } = await answering(() => {}); // accepts, never answers
    expect(await checkAnswering(url, {}, 300)).toBe(`GET ${url} failed (UND_ERR_HEADERS_TIMEOUT)`);
  });

  it('polls until the target answers, reporting each wait', async () => {
    const { url } = await answering((res, seen) => res.writeHead(seen <= 2 ? 503 : 200).end());
    const waits: string[] = [];
    const problem = await waitUntilReady((timeoutMs) => checkAnswering(url, {}, timeoutMs), 10_000, { everyMs: 20, onWait: (p) => waits.push(p) });
    expect(problem).toBeUndefined();
    expect(waits).toEqual([`GET ${url} answered 503`, `GET ${url} answered 503`]);
    expect(server?.requests()).toBe(3);
  });

  it('gives up after the timeout with the last reason', async () => {
    const { url } = await answering((res) => res.writeHead(503).end());
    const problem = await waitUntilReady((timeoutMs) => checkAnswering(url, {}, timeoutMs), 300, { everyMs: 50 });
    expect(problem).toBe(`GET ${url} answered 503; still not ready after 0.3s`);
  });
});

import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { continueHeadLength } from '../../src/engine/continue-responses.js';
import { createHttpClient, type HttpOutcome } from '../../src/engine/http-client.js';
import { profileWith, step } from '../helpers/profiles.js';
import { runProfile } from '../helpers/run-profile.js';

const RESPONSE = 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 9\r\n\r\n{"id":42}';

/** What the raw server writes before (and with) the final response, by request path. */
const BEFORE: Record<string, string[]> = {
  '/continue': ['HTTP/1.1 100 Continue\r\n\r\n', RESPONSE],
  '/together': [`HTTP/1.1 100 Continue\r\n\r\n${RESPONSE}`],
  '/twice': ['HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 100\r\nx-note: again\r\n\r\n', RESPONSE],
  '/split': [...'HTTP/1.1 100 Continue\r\n\r\n'.split(''), RESPONSE],
  '/hints': ['HTTP/1.1 103 Early Hints\r\nlink: </app.css>; rel=preload\r\n\r\n', RESPONSE],
  '/plain': [RESPONSE],
};

/** A raw TCP server speaking HTTP/1.1 by hand, keep-alive, so it can send what node:http would not. */
function startRawServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((socket: Socket) => {
    let buffered = '';
    socket.on('data', (data) => {
      buffered += data.toString('latin1');
      for (let end = buffered.indexOf('\r\n\r\n'); end !== -1; end = buffered.indexOf('\r\n\r\n')) {
        const path = buffered.slice(0, end).split(' ')[1] ?? '/';
        buffered = buffered.slice(end + 4);
        void writeSlowly(socket, BEFORE[path] ?? BEFORE['/plain'] ?? []);
      }
    });
    socket.on('error', () => {});
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server })));
}

async function writeSlowly(socket: Socket, parts: string[]): Promise<void> {
  for (const part of parts) {
    if (socket.destroyed) return;
    socket.write(part, 'latin1');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** RFC 9110: a client must accept an unsolicited 100 Continue and read the response after it. */
describe('1xx informational responses before the final one', () => {
  let target: { url: string; server: Server };
  beforeAll(async () => {
    target = await startRawServer();
  });
  afterAll(() => new Promise<void>((resolve) => target.server.close(() => resolve())));

  it.each(Object.keys(BEFORE))('%s: the final response is read, on a connection kept alive', async (path) => {
    const http = createHttpClient(target.url, { connections: 1 });
    const send = () => new Promise<HttpOutcome>((resolve) => http.send({ method: 'GET', path, headers: {}, timeoutMs: 5000, keepBodyBytes: 1024 }, resolve));
    try {
      for (let i = 0; i < 3; i++) {
        const outcome = await send();
        expect(outcome.ok ? { status: outcome.status, body: outcome.body?.toString() } : outcome.error).toEqual({ status: 200, body: '{"id":42}' });
      }
    } finally {
      await http.destroy();
    }
  });

  it('a run against a target that sends 100 Continue counts no error and captures from the final response', async () => {
    const journeys = [{ name: 'j', weight: 1, steps: [step('GET /continue', { name: 'first', capture: { id: '$.id' } }), step('GET /together?id={{ id }}', { name: 'second' })] }];
    const record = await runProfile(profileWith({ target: target.url, journeys, scenarios: [{ executor: { type: 'constant-vus', vus: 2, durationMs: 400 } }] }));
    expect(record.steps.first?.requests).toBeGreaterThan(0);
    expect(record.steps.second?.requests).toBeGreaterThan(0);
    expect(record.overall.errors).toBe(0);
    expect(record.overall.statuses).toEqual({ '200': record.overall.requests });
  }, 20_000);
});

describe('continueHeadLength()', () => {
  const length = (text: string) => continueHeadLength(Buffer.from(text, 'latin1'));
  it.each([
    ['HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n', 25],
    ['HTTP/1.0 100\r\n\r\n', 16],
    ['HTTP/1.1 100 Continue\r\nx-a: b\r\n\r\n', 33],
    ['HTTP/1.1 200 OK\r\n\r\n', 0],
    ['HTTP/1.1 1000 Odd\r\n\r\n', 0],
    ['garbage', 0],
    ['HTTP/1.1 100 Contin', -1],
    ['HTTP/1.', -1],
    ['H', -1],
    [`HTTP/1.1 100 Continue\r\nx-big: ${'a'.repeat(9000)}`, 0],
  ])('%j -> %i', (text, expected) => {
    expect(length(text)).toBe(expected);
  });
});

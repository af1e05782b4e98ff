import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProfile } from '../../src/config/load-profile.js';
import { createHttpClient, type HttpOutcome } from '../../src/engine/http-client.js';
import { startServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { profileWith, step } from '../helpers/profiles.js';
import { runProfile } from '../helpers/run-profile.js';

const MiB = 1024 ** 2;
const PAD = Buffer.alloc(64 * 1024, 'x');

/** Streams `{"id":7,"pad":"xxx..."}` of about `bytes`, in 64 KiB writes, honouring backpressure. */
function streamJson(res: ServerResponse, bytes: number): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('{"id":7,"pad":"');
  let left = bytes;
  const more = (): void => {
    while (left > 0) {
      left -= PAD.length;
      if (!res.write(PAD)) return void res.once('drain', more);
    }
    res.end('"}');
  };
  more();
}

/** A body kept for a capture is capped; beyond the cap the capture fails and the rest is drained. */
describe('the capture body limit', () => {
  let server: LoopbackServer;
  beforeAll(async () => {
    server = await startServer((req, res) => {
      req.resume();
      const size = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('bytes') ?? 0);
      streamJson(res, size);
    });
  });
  afterAll(() => server.close());

  const send = (path: string, keepBodyBytes: number): Promise<HttpOutcome> => {
    const http = createHttpClient(server.url, { connections: 1 });
    return new Promise<HttpOutcome>((resolve) => http.send({ method: 'GET', path, headers: {}, timeoutMs: 20_000, keepBodyBytes }, resolve)).finally(() => http.close());
  };

  it('keeps a body up to the limit, drains a longer one without keeping it', async () => {
    const small = await send(`/?bytes=${256 * 1024}`, MiB);
    expect(small.ok && small.body?.length).toBeGreaterThan(256 * 1024);
    // Beside the request's phases (timings), a longer body leaves only its verdict.
    const withoutWaiting = (outcome: HttpOutcome): Record<string, unknown> => {
      const { timings, ...rest } = outcome as HttpOutcome & { timings?: { waitingMs: number } };
      expect(timings?.waitingMs).toBeGreaterThan(0);
      return rest;
    };
    const huge = await send(`/?bytes=${50 * MiB}`, MiB);
    expect(withoutWaiting(huge)).toEqual({ ok: true, status: 200, bodyTooLarge: true });
    const dropped = await send(`/?bytes=${2 * MiB}`, 0);
    expect(withoutWaiting(dropped)).toEqual({ ok: true, status: 200 });
  }, 30_000);

  it('makes a capture from a longer body a failed check, not a failed request', async () => {
    const journeys = [
      { name: 'big', weight: 1, steps: [step(`GET /?bytes=${50 * MiB}`, { name: 'big', capture: { id: '$.id' } }), step('GET /?id={{ id }}', { name: 'after' })] },
      { name: 'small', weight: 1, steps: [step(`GET /?bytes=${64 * 1024}`, { name: 'small', capture: { id: '$.id' } })] },
    ];
    const record = await runProfile(
      profileWith({
        target: server.url,
        journeys,
        maxCaptureBodyBytes: MiB,
        scenarios: journeys.map((j) => ({ name: j.name, journeys: [j.name], executor: { type: 'constant-vus', vus: 2, durationMs: 500 } as const })),
      }),
    );
    expect(record.steps.big?.requests).toBeGreaterThan(0);
    expect(record.steps.big?.errors).toBe(0);
    // Both journeys capture id: the small bodies' captures pass, the big ones' fail.
    expect(record.checks?.['capture id']).toEqual({ passes: record.steps.small?.requests, fails: record.steps.big?.requests });
    expect(record.steps.after?.requests).toBe(0);
    expect(record.steps.small?.requests).toBeGreaterThan(0);
    expect(record.steps.small?.errors).toBe(0);
  }, 60_000);

  it('keeps memory bounded while 6 VUs capture from 50 MiB bodies', async () => {
    let peak = 0;
    const sample = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    }, 10);
    const baseline = process.memoryUsage().arrayBuffers;
    try {
      const journeys = [{ name: 'big', weight: 1, steps: [step(`GET /?bytes=${50 * MiB}`, { name: 'big', capture: { id: '$.id' } })] }];
      const record = await runProfile(profileWith({ target: server.url, journeys, scenarios: [{ executor: { type: 'constant-vus', vus: 6, durationMs: 1500 } }] }));
      expect(record.steps.big?.requests).toBeGreaterThanOrEqual(6);
    } finally {
      clearInterval(sample);
    }
    // Whole bodies kept would hold 6 x 50 MiB at once; capped, each VU holds at most 1 MiB.
    expect((peak - baseline) / MiB).toBeLessThan(200);
  }, 60_000);
});

describe('defaults.maxCaptureBody', () => {
  const yaml = (value?: string) =>
    `target: http://127.0.0.1:1\n${value === undefined ? '' : `defaults: { maxCaptureBody: ${value} }\n`}scenarios: { s: { executor: constant-vus, duration: 1s } }\njourneys: { j: { steps: [{ request: GET / }] } }\n`;
  const bytes = (value?: string) => parseProfile(yaml(value), { file: 't.yml', env: { LIMIT: '2MiB' } }).maxCaptureBodyBytes;

  it.each([
    [undefined, MiB],
    ['1MiB', MiB],
    ['256KiB', 256 * 1024],
    ['2MB', 2_000_000],
    ['1.5KiB', 1536],
    ['4096', 4096],
    ['"${LIMIT}"', 2 * MiB],
  ])('%s is %i bytes', (value, expected) => {
    expect(bytes(value)).toBe(expected);
  });

  it.each([
    ['fast', /t\.yml:2:\d+ defaults\.maxCaptureBody: /],
    ['0', /defaults\.maxCaptureBody: must be a size such as 1MiB, 512KiB, 10MB or a whole number of bytes \(got 0\)/],
    ['1TB', /defaults\.maxCaptureBody: /],
    ['1GiB', /defaults\.maxCaptureBody: allows 1GiB; at most 256MiB is allowed.*Fix: /],
  ])('refuses %s', (value, message) => {
    expect(() => bytes(value)).toThrow(message);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { parseServerTiming } from '../../src/engine/server-timing.js';
import { detailTime, startSampleService, type SampleService } from '../../src/sample-service/sample-service.js';

/**
 * The sample service's product detail says where its time went (`Server-Timing`), with every
 * random draw fixed at 0.5 so each duration is known: the log-normal's z is
 * √(−2 ln 0.5) · cos(π) = −1.1774, so detail's usual time is 4 ms · e^(0.3 · −1.1774) = 2.8093 ms,
 * the database's share 0.5 + 0.25 · 0.5 = 62.5% of it: db 1.7558 ms, app 1.0535 ms.
 */
let service: SampleService | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

async function get(path: string): Promise<{ status: number; timing: string | null }> {
  const response = await fetch(`${(service as SampleService).url}${path}`);
  await response.arrayBuffer();
  return { status: response.status, timing: response.headers.get('server-timing') };
}

describe('the sample service’s Server-Timing', () => {
  it('product detail sends db and app, which add up to its time; a regression lands in db alone', async () => {
    service = await startSampleService({ random: () => 0.5 });
    const before = await get('/api/products/3');
    expect(before).toEqual({ status: 200, timing: 'db;dur=7.02, app;dur=4.21' });
    // The header reads as a browser reads it: two metrics, nothing malformed.
    expect(parseServerTiming(before.timing as string)).toEqual({ metrics: [{ name: 'db', durMs: 7.02 }, { name: 'app', durMs: 4.21 }], malformed: 0 });

    // 100% slower: the whole doubles (11.237 → 22.474 ms), all of it in the database (7.023 → 18.260 ms).
    service.injectRegression(1);
    expect((await get('/api/products/3')).timing).toBe('db;dur=18.26, app;dur=4.21');
    // An unknown product is answered as slowly, and says so too.
    expect(await get('/api/products/999')).toEqual({ status: 404, timing: 'db;dur=18.26, app;dur=4.21' });
  });

  it('the other routes send no Server-Timing', async () => {
    service = await startSampleService({ random: () => 0.5 });
    expect((await get('/api/products')).timing).toBeNull();
    expect((await get('/health')).timing).toBeNull();
  });

  it('splits the time 50–75% to the database, and puts a slowdown there', () => {
    const split = (usual: number, slowdown: number, share: number): [number, number] => {
      const { db, app } = detailTime(usual, slowdown, share);
      return [Math.round(db * 1e3) / 1e3, Math.round(app * 1e3) / 1e3];
    };
    expect(split(4, 0, 0)).toEqual([2, 2]);
    expect(split(4, 0, 0.999999)).toEqual([3, 1]);
    expect(split(4, 0.5, 0)).toEqual([4, 2]);
    // The whole is the usual time times 1 + slowdown, as on every other route.
    for (const [usual, slowdown, share] of [[3.2, 0.25, 0.1], [10, 2, 0.7]] as const) {
      const { db, app } = detailTime(usual, slowdown, share);
      expect(db + app).toBeCloseTo(usual * (1 + slowdown), 9);
    }
  });
});

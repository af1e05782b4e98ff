import { describe, expect, it } from 'vitest';
import { startSampleService } from '../../src/sample-service/sample-service.js';
import { DEFAULT_SHARED_DRIFT, sharedDrift } from '../../src/validate/shared-drift.js';

describe('the drift two sample services share', () => {
  const seconds = Array.from({ length: 400 }, (_, s) => s * 1000 + 250);

  it('is one function of time and seed: the same seed gives the same multipliers in any order, another seed others', () => {
    const a = sharedDrift(DEFAULT_SHARED_DRIFT);
    const b = sharedDrift({ ...DEFAULT_SHARED_DRIFT });
    const forward = seconds.map(a);
    expect([...seconds].reverse().map(b).reverse()).toEqual(forward);
    const other = seconds.map(sharedDrift({ ...DEFAULT_SHARED_DRIFT, seed: 2 }));
    expect(other).not.toEqual(forward);
    // Within one second the level holds; only the swing moves.
    expect(a(10_100) / a(10_900)).toBeCloseTo((1 + 0.1 * Math.sin((2 * Math.PI * 10_100) / 40_000)) / (1 + 0.1 * Math.sin((2 * Math.PI * 10_900) / 40_000)), 10);
  });

  it('swings ±10% over 40 s, without the per-second level', () => {
    const swing = sharedDrift({ ...DEFAULT_SHARED_DRIFT, secondSigma: 0 });
    expect(swing(0)).toBeCloseTo(1, 12);
    expect(swing(10_000)).toBeCloseTo(1.1, 12);
    expect(swing(20_000)).toBeCloseTo(1, 12);
    expect(swing(30_000)).toBeCloseTo(0.9, 12);
    expect(swing(50_000)).toBeCloseTo(1.1, 12);
  });

  it('draws a level each second of about σ 5% on the log scale, centred on 1', () => {
    const level = sharedDrift({ ...DEFAULT_SHARED_DRIFT, swing: 0 });
    const logs = Array.from({ length: 4000 }, (_, s) => Math.log(level(s * 1000)));
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / (logs.length - 1));
    expect(Math.abs(mean)).toBeLessThan(0.005);
    expect(sd).toBeGreaterThan(0.045);
    expect(sd).toBeLessThan(0.055);
    expect(new Set(logs.slice(0, 50)).size).toBe(50);
  });

  it('adds, when asked, a level held over each 90 s segment of about σ 8%, that the per-second drift does not see', () => {
    const plain = sharedDrift(DEFAULT_SHARED_DRIFT);
    const held = sharedDrift({ ...DEFAULT_SHARED_DRIFT, runSigma: 0.08 });
    const segment = (ms: number): number => held(ms) / plain(ms);
    // Off by default; when on, one value from the start of a segment to its end, another in the next.
    expect(DEFAULT_SHARED_DRIFT.runSigma).toBe(0);
    expect(segment(0)).toBeCloseTo(segment(89_999), 12);
    expect(segment(90_000)).not.toBeCloseTo(segment(89_999), 6);
    // Stateless: read backwards, the same multipliers.
    const times = Array.from({ length: 50 }, (_, i) => i * 37_000);
    const fresh = sharedDrift({ ...DEFAULT_SHARED_DRIFT, runSigma: 0.08 });
    expect([...times].reverse().map(fresh).reverse()).toEqual(times.map(held));
    const logs = Array.from({ length: 3000 }, (_, i) => Math.log(segment(i * 90_000 + 1)));
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / (logs.length - 1));
    expect(Math.abs(mean)).toBeLessThan(0.008);
    expect(sd).toBeGreaterThan(0.072);
    expect(sd).toBeLessThan(0.088);
  });

  it('refuses a swing that could stop the service, a period or segment that is not positive, a negative σ', () => {
    expect(() => sharedDrift({ ...DEFAULT_SHARED_DRIFT, swing: 1 })).toThrow(/swing/);
    expect(() => sharedDrift({ ...DEFAULT_SHARED_DRIFT, periodMs: 0 })).toThrow(/period/);
    expect(() => sharedDrift({ ...DEFAULT_SHARED_DRIFT, runSigma: -0.1 })).toThrow(/run-level σ/);
    expect(() => sharedDrift({ ...DEFAULT_SHARED_DRIFT, runSegmentMs: 0 })).toThrow(/segment/);
  });
});

describe("the sample service's speed hook", () => {
  it('reads the multiplier on every request that has a latency, and answers as usual', async () => {
    let reads = 0;
    const service = await startSampleService({
      speed: () => {
        reads++;
        return 0.5;
      },
    });
    try {
      expect((await fetch(`${service.url}/health`)).status).toBe(200);
      const list = await fetch(`${service.url}/api/products`);
      expect(list.status).toBe(200);
      expect(((await list.json()) as { items: unknown[] }).items).toHaveLength(20);
      expect((await fetch(`${service.url}/api/products/3`)).status).toBe(200);
      expect(reads).toBe(2);
    } finally {
      await service.close();
    }
  });
});

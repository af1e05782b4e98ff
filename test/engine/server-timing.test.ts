import { describe, expect, it } from 'vitest';
import { parseServerTiming, type ServerTimingMetric } from '../../src/engine/server-timing.js';

/**
 * The Server-Timing header as responses send it. The first rows are the examples of the W3C
 * Server Timing specification; the rest are what services get wrong. A malformed entry is
 * counted and skipped, the entries around it are still read.
 */
const CASES: ReadonlyArray<{ header: string | string[]; metrics: ServerTimingMetric[]; malformed?: number; why: string }> = [
  // W3C examples
  { why: 'a name alone', header: 'miss', metrics: [{ name: 'miss' }] },
  { why: 'a duration', header: 'db;dur=53', metrics: [{ name: 'db', durMs: 53 }] },
  { why: 'a duration with a fraction and a description', header: 'app;dur=47.2', metrics: [{ name: 'app', durMs: 47.2 }] },
  { why: 'a quoted description', header: 'customView, dc;desc=atl', metrics: [{ name: 'customView' }, { name: 'dc', desc: 'atl' }] },
  { why: 'description then duration', header: 'cache;desc="Cache Read";dur=23.2', metrics: [{ name: 'cache', durMs: 23.2, desc: 'Cache Read' }] },
  {
    why: 'several metrics in one header',
    header: 'db;dur=53, app;dur=47.2, cache;desc="Cache Read";dur=23.2, miss, dc;desc=atl',
    metrics: [{ name: 'db', durMs: 53 }, { name: 'app', durMs: 47.2 }, { name: 'cache', durMs: 23.2, desc: 'Cache Read' }, { name: 'miss' }, { name: 'dc', desc: 'atl' }],
  },
  { why: 'several headers of one response', header: ['db;dur=53', 'app;dur=12, total;dur=70'], metrics: [{ name: 'db', durMs: 53 }, { name: 'app', durMs: 12 }, { name: 'total', durMs: 70 }] },
  // what parsers must tolerate
  { why: 'spaces around separators', header: ' db ; dur = 5 ;desc = "x y" ,  app;dur=1 ', metrics: [{ name: 'db', durMs: 5, desc: 'x y' }, { name: 'app', durMs: 1 }] },
  { why: 'parameter names in any case', header: 'db;DUR=5;Desc=q', metrics: [{ name: 'db', durMs: 5, desc: 'q' }] },
  { why: 'the first dur and desc win', header: 'db;dur=5;dur=9;desc=a;desc=b', metrics: [{ name: 'db', durMs: 5, desc: 'a' }] },
  { why: 'unknown parameters ignored', header: 'db;region=eu;dur=5;x', metrics: [{ name: 'db', durMs: 5 }] },
  { why: 'a comma and escapes inside a quoted description', header: 'db;desc="a, \\"b\\"";dur=2, app', metrics: [{ name: 'db', durMs: 2, desc: 'a, "b"' }, { name: 'app' }] },
  { why: 'empty list elements', header: ',db;dur=1,, ,app;dur=2,', metrics: [{ name: 'db', durMs: 1 }, { name: 'app', durMs: 2 }] },
  { why: 'an exponent and a zero', header: 'a;dur=1e2, b;dur=0, c;dur=.5', metrics: [{ name: 'a', durMs: 100 }, { name: 'b', durMs: 0 }, { name: 'c', durMs: 0.5 }] },
  { why: 'an empty header', header: '', metrics: [] },
  { why: 'a missing dur keeps the metric', header: 'cache;desc=hit', metrics: [{ name: 'cache', desc: 'hit' }] },
  // malformed entries
  { why: 'a dur that is not a number', header: 'db;dur=fast, app;dur=3', metrics: [{ name: 'app', durMs: 3 }], malformed: 1 },
  { why: 'a negative dur', header: 'db;dur=-5, app;dur=3', metrics: [{ name: 'app', durMs: 3 }], malformed: 1 },
  { why: 'a dur without a value', header: 'db;dur, app;dur=3', metrics: [{ name: 'app', durMs: 3 }], malformed: 1 },
  { why: 'a name that is not a token', header: '"db";dur=5, app;dur=3', metrics: [{ name: 'app', durMs: 3 }], malformed: 1 },
  { why: 'a name with a space in it', header: 'data base;dur=5, app;dur=3', metrics: [{ name: 'app', durMs: 3 }], malformed: 1 },
  { why: 'a stray semicolon', header: 'db;;dur=5, app;dur=3', metrics: [{ name: 'app', durMs: 3 }], malformed: 1 },
  { why: 'an unterminated quoted string', header: 'app;dur=3, db;desc="never ends, x;dur=1', metrics: [{ name: 'app', durMs: 3 }], malformed: 1 },
  { why: 'a non-ASCII name', header: 'données;dur=5, app;dur=3', metrics: [{ name: 'app', durMs: 3 }], malformed: 1 },
  { why: 'several malformed among good ones', header: 'a;dur=x, b;dur=1, ;dur=2, c, =, d;dur=Infinity', metrics: [{ name: 'b', durMs: 1 }, { name: 'c' }], malformed: 4 },
  { why: 'a huge exponent', header: 'a;dur=1e999', metrics: [], malformed: 1 },
];

describe('parseServerTiming', () => {
  it.each(CASES)('$why: $header', ({ header, metrics, malformed }) => {
    expect(parseServerTiming(header)).toEqual({ metrics, malformed: malformed ?? 0 });
  });

  it('reads many names, in order, none lost', () => {
    const names = Array.from({ length: 300 }, (_, i) => `m${i}`);
    const { metrics, malformed } = parseServerTiming(names.map((n, i) => `${n};dur=${i}`).join(', '));
    expect(malformed).toBe(0);
    expect(metrics.map((m) => m.name)).toEqual(names);
    expect(metrics.map((m) => m.durMs)).toEqual(names.map((_, i) => i));
  });

  it('never throws on arbitrary text, and accounts for every non-empty entry', () => {
    let seed = 12345;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = 'ab;=,"\\ .dur1e-';
    for (let n = 0; n < 2000; n++) {
      const text = Array.from({ length: Math.floor(next() * 30) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
      const { metrics, malformed } = parseServerTiming(text);
      for (const m of metrics) expect(m.durMs === undefined || (Number.isFinite(m.durMs) && m.durMs >= 0)).toBe(true);
      expect(metrics.length + malformed).toBeLessThanOrEqual(text.length);
    }
  });
});

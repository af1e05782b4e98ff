import { describe, it, expect } from 'vitest';
import schema from '../../schema/tailgate.schema.json' with { type: 'json' };
import {
  DURATION_PATTERN,
  DurationError,
  THINK_PATTERN,
  formatDuration,
  parseDuration,
  parseThink,
} from '../../src/config/duration.js';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1h2m3s4ms', 3_723_004],
    ['0s', 0],
    ['0ms', 0],
    ['90s', 90_000],
    [' 10s ', 10_000],
    // Decimals, as k6 (Go's time.ParseDuration) reads them; rounded to a whole millisecond.
    ['1.5s', 1500],
    ['0.5s', 500],
    ['250ms', 250],
    ['1.5m30s', 120_000],
    ['0.25h', 900_000],
    ['2.0004s', 2000],
  ])('%j is %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ['30', 'write 30s or 500ms'],
    ['', 'write 30s or 500ms'],
    ['fast', 'write 30s or 500ms'],
    ['1.s', 'write 30s or 500ms'],
    ['.5s', 'write 30s or 500ms'],
    ['1,5s', 'write 30s or 500ms'],
    ['30 s', 'write 30s or 500ms'],
    ['30sec', 'write 30s or 500ms'],
    ['-5s', 'write 30s or 500ms'],
    ['30s1m', 'write 30s or 500ms'],
    ['1s1s', 'write 30s or 500ms'],
    ['10us', 'write 30s or 500ms'],
    ['1d', 'write 30s or 500ms'],
  ])('%j is refused, saying what is allowed', (text, fix) => {
    expect(() => parseDuration(text)).toThrow(DurationError);
    expect(() => parseDuration(text)).toThrow(/must be a duration with a unit \(h, m, s, ms\), like 30s, 500ms or 1m30s/);
    try {
      parseDuration(text);
    } catch (error) {
      expect((error as DurationError).fix).toBe(fix);
    }
  });
});

describe('parseThink', () => {
  it.each([
    ['1s', { minMs: 1000, maxMs: 1000 }],
    ['1s-3s', { minMs: 1000, maxMs: 3000 }],
    ['500ms-1s', { minMs: 500, maxMs: 1000 }],
    ['1s - 2s', { minMs: 1000, maxMs: 2000 }],
    ['2s-2s', { minMs: 2000, maxMs: 2000 }],
    ['0s', { minMs: 0, maxMs: 0 }],
    ['0.5s-1.5s', { minMs: 500, maxMs: 1500 }],
    ['1.5s', { minMs: 1500, maxMs: 1500 }],
  ])('%j is %j', (text, think) => {
    expect(parseThink(text)).toEqual(think);
  });

  it.each([
    ['3s-1s', /starts above its end/, 'think: 1s-3s'],
    ['1-3', /a think time like 2s, or a random range like 1s-3s/, 'think: 1s-3s'],
    ['1s-', /a think time/, 'think: 1s-3s'],
    ['1s-2s-3s', /a think time/, 'think: 1s-3s'],
    ['soon', /a think time/, 'think: 1s-3s'],
  ])('%j is refused', (text, message, fix) => {
    expect(() => parseThink(text)).toThrow(message);
    try {
      parseThink(text);
    } catch (error) {
      expect((error as DurationError).fix).toContain(fix);
    }
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [500, '500ms'],
    [90_000, '1m30s'],
    [3_600_000, '1h'],
    [3_723_004, '1h2m3s4ms'],
  ])('%i ms is %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });
});

describe('the schema and the parser agree', () => {
  it('uses the same duration and think patterns', () => {
    expect(schema.definitions.duration.pattern).toBe(DURATION_PATTERN);
    expect(schema.definitions.think.pattern).toBe(THINK_PATTERN);
  });
});

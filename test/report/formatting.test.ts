import { describe, expect, it } from 'vitest';
import { code, escapeText, mermaidText, safeUrl } from '../../src/report/escape.js';
import { formatAllowedChange, formatChange, formatErrorRate, formatInterval, formatMs, formatPct, formatRps } from '../../src/report/number-format.js';
import { sharedScale, sparkline } from '../../src/report/sparkline.js';

describe('escapeText', () => {
  it.each([
    ['checkout', 'checkout'],
    ['tailgate: shop 12:30', 'tailgate: shop 12:30'],
    ['a|b', 'a&#124;b'],
    ['<script>', '&#60;script&#62;'],
    ['`x`', '&#96;x&#96;'],
    ['*x* _y_ ~z~', '&#42;x&#42; &#95;y&#95; &#126;z&#126;'],
    ['[a](b)', '&#91;a&#93;(b)'],
    ['@team #12', '&#64;&#8203;team &#35;&#8203;12'],
    [':tada: https://x', '&#58;&#8203;tada: https&#58;&#8203;//x'],
    ['$x$ &amp;', '&#36;x&#36; &#38;amp;'],
    ['two\nlines', 'two lines'],
  ])('%j -> %j', (input, expected) => {
    expect(escapeText(input)).toBe(expected);
  });

  it('wraps names in <code> with the same escaping', () => {
    expect(code('GET /a|b')).toBe('<code>GET /a&#124;b</code>');
  });

  it('keeps Mermaid titles to harmless characters', () => {
    expect(mermaidText('check"out`]; click')).toBe('check·out··· click');
  });

  it('links only http(s) URLs', () => {
    expect(safeUrl('https://github.com/o/r/actions/runs/1')).toBe('https://github.com/o/r/actions/runs/1');
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('https://x y')).toBeUndefined();
  });
});

describe('number formats', () => {
  it.each([
    [0.512, '0.512 ms'],
    [5.123, '5.12 ms'],
    [51.23, '51.2 ms'],
    [512.3, '512 ms'],
    [5123, '5,123 ms'],
  ])('formatMs(%s) = %s', (ms, text) => expect(formatMs(ms)).toBe(text));

  it('signs every change, with a real minus and ± for zero', () => {
    expect(formatPct(23.4)).toBe('+23%');
    expect(formatPct(-2.46)).toBe('−2.5%');
    expect(formatPct(0.01)).toBe('±0.0%');
    expect(formatChange({ changeUnit: 'pp' }, 1.234)).toBe('+1.2 pt');
    expect(formatChange({ changeUnit: 'pp' }, -0.05)).toBe('−0.05 pt');
    expect(formatInterval({ changeUnit: '%' }, { low: 15.2, high: 31 })).toBe('+15% … +31%');
  });

  it('formats rates, error rates and allowances', () => {
    expect(formatRps(1234.5)).toBe('1,235 req/s');
    expect(formatErrorRate(0.0012)).toBe('0.12%');
    expect(formatErrorRate(0.023)).toBe('2.3%');
    expect(formatErrorRate(0)).toBe('0%');
    expect(formatAllowedChange({ changeUnit: '%', allowedChange: -10 })).toBe('−10%');
    expect(formatAllowedChange({ changeUnit: 'pp', allowedChange: 1 })).toBe('+1 pt');
    expect(formatAllowedChange({ changeUnit: '%', allowedChange: 7.5 })).toBe('+7.5%');
  });
});

describe('sparkline', () => {
  it('maps a shared range onto eight bars and marks missing blocks', () => {
    const baseline = [10, 20, null, 80];
    const current = [10, 45, 80, 80];
    const scale = sharedScale([baseline, current]);
    expect(scale).toEqual({ min: 10, max: 80 });
    expect(sparkline(baseline, scale!)).toBe('▁▂·█');
    expect(sparkline(current, scale!)).toBe('▁▅██');
  });

  it('draws a flat series at mid height and has no scale without values', () => {
    expect(sparkline([5, 5], { min: 5, max: 5 })).toBe('▄▄');
    expect(sharedScale([[null]])).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { code, escapeText, mermaidText, safeUrl } from '../../src/report/escape.js';

/** Bidirectional controls could make a step name or a number read as something else (issue 9). */
describe('bidirectional and other invisible controls', () => {
  it.each([
    ['U+202E right-to-left override', 'checkout\u202egnp.exe', 'checkoutgnp.exe'],
    ['U+202A-U+202D embeddings and overrides', 'a\u202ab\u202bc\u202cd\u202de', 'abcde'],
    ['U+2066-U+2069 isolates', '\u2066list\u2067\u2068\u2069', 'list'],
    ['U+200E and U+200F marks', 'p95\u200e \u200f+12%', 'p95 +12%'],
    ['U+061C Arabic letter mark', 'x\u061cy', 'xy'],
    ['C0 and C1 controls', 'a\u0000b\u001bc\u007fd\u0085e', 'abcde'],
    ['text around the other escapes', '\u202e|x|', '&#124;x&#124;'],
  ])('drops %s', (_name, input, expected) => {
    expect(escapeText(input)).toBe(expected);
  });

  it('keeps letters of right-to-left scripts, which render as they should', () => {
    expect(escapeText('שלום عربى')).toBe('שלום عربى');
  });

  it('drops them from names shown as code and from Mermaid titles', () => {
    expect(code('\u202elist')).toBe('<code>list</code>');
    expect(mermaidText('a\u2066b')).not.toMatch(/\u2066/);
  });

  it('links no URL that holds one, every time it is asked', () => {
    expect(safeUrl('https://example.com/\u202eexe.txt')).toBeUndefined();
    expect(safeUrl('https://example.com/\u202eexe.txt')).toBeUndefined();
    expect(safeUrl('https://example.com/run')).toBe('https://example.com/run');
  });
});

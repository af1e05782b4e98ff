import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/action/input-error.js';
import { parseActionInputs, type InputName } from '../../src/action/inputs.js';

const parse = (given: Partial<Record<InputName, string>>) => parseActionInputs((name) => given[name as InputName] ?? '');

describe('baseline-url (paired mode)', () => {
  it('is read as a URL, as target-url is', () => {
    expect(parse({ 'baseline-url': 'https://production.example.com' }).baselineUrl).toBe('https://production.example.com');
    expect(parse({ 'baseline-url': ' http://127.0.0.1:3001/api ' }).baselineUrl).toBe('http://127.0.0.1:3001/api');
    expect(parse({}).baselineUrl).toBeUndefined();
  });

  const bad: Array<[Partial<Record<InputName, string>>, RegExp]> = [
    [{ 'baseline-url': 'production' }, /baseline-url.*must be an http or https URL.*like https:\/\/production\.example\.com/],
    [{ 'baseline-url': 'ftp://example.com' }, /must be an http or https URL/],
    [{ 'baseline-url': 'https://user:secret@example.com' }, /no query, fragment or credentials/],
    [{ 'baseline-url': 'https://example.com/?x=1' }, /no query/],
    [{ 'baseline-url': 'https://example.com', shard: '1/2' }, /remove shard, or remove baseline-url/],
    [{ 'baseline-url': 'https://example.com', mode: 'merge' }, /mode: merge does not/],
    [{ 'baseline-url': 'https://example.com', mode: 'baseline' }, /mode: baseline does not/],
  ];
  for (const [given, message] of bad) {
    it(`refuses ${JSON.stringify(given)}`, () => {
      expect(() => parse(given)).toThrow(InputError);
      expect(() => parse(given)).toThrow(message);
    });
  }
});

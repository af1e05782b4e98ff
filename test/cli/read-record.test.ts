import { describe, expect, it } from 'vitest';
import { parseRunRecord } from '../../src/record/read-run-record.js';

describe('reading run records', () => {
  it.each([
    ['not JSON', 'hello', /not valid JSON/],
    ['truncated', '{"schema": "tailgate.run/v1", "meta": {', /truncated/],
    ['an array', '[]', /not a run record/],
    ['another tool', '{"schema": "k6.summary"}', /not a tailgate run record/],
    ['a newer format', '{"schema": "tailgate.run/v9"}', /format tailgate\.run\/v9, newer than this tailgate reads.*Fix: upgrade tailgate/],
    ['missing parts', '{"schema": "tailgate.run/v1", "meta": {}}', /incomplete run record: scenarios, generator, blocks, overall, steps missing/],
  ])('refuses %s with a message, never a crash', (_name, text, message) => {
    expect(() => parseRunRecord(text, 'base.json')).toThrow(message);
    expect(() => parseRunRecord(text, 'base.json')).toThrow(/^base\.json: /);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capture, MAX_CAPTURE_DEPTH, nestingDepth } from '../../src/engine/iteration.js';
import { respondAfter, startServer, type LoopbackServer } from '../helpers/loopback-server.js';
import { profileWith, step } from '../helpers/profiles.js';
import { runProfile } from '../helpers/run-profile.js';

/** `{"id":0,"a":{"id":1,"a":...}}`, `depth` objects deep. */
function nested(depth: number): string {
  return '{"id":0,"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

const ITEMS_WITHOUT_PRICE = JSON.stringify({ items: [{ id: 1 }, { id: 2, price: { amount: 9 } }] });

/** A capture that cannot be evaluated on a response is a failed check (`capture NAME`); the run goes on. */
describe('captures that throw or nest too deep', () => {
  let server: LoopbackServer;
  beforeAll(async () => {
    const deep = nested(20_000);
    server = await startServer((req, res) => {
      if (req.url === '/items') return respondAfter(res, req, 1, 200, ITEMS_WITHOUT_PRICE);
      if (req.url === '/deep') return respondAfter(res, req, 1, 200, deep);
      respondAfter(res, req, 1, 200, '{}');
    });
  });
  afterAll(() => server.close());

  it.each([
    ['a filter over an item without the field it reads', '/items', '$.items[?(@.price.amount > 5)].id'],
    ['a recursive descent over JSON nested 20,000 deep', '/deep', '$..id'],
  ])('%s', async (_, path, jsonPath) => {
    const journeys = [
      { name: 'capturing', weight: 1, steps: [step(`GET ${path}`, { capture: { id: jsonPath } }), step('GET /next/{{ id }}')] },
      { name: 'fine', weight: 1, steps: [step('GET /ok')] },
    ];
    const record = await runProfile(
      profileWith({
        target: server.url,
        journeys,
        scenarios: journeys.map((j) => ({ name: j.name, journeys: [j.name], executor: { type: 'constant-vus', vus: 1, durationMs: 400 } as const })),
      }),
    );
    const captured = record.steps[`GET ${path}`];
    expect(captured?.requests).toBeGreaterThan(0);
    expect(captured?.errors).toBe(0);
    expect(record.checks?.['capture id']).toEqual({ passes: 0, fails: captured?.requests });
    expect(record.steps['GET /next/{{ id }}']?.requests).toBe(0);
    expect(record.steps['GET /ok']?.requests).toBeGreaterThan(0);
    expect(record.steps['GET /ok']?.errors).toBe(0);
  }, 20_000);
});

describe('capture()', () => {
  it('is false, never a throw, for what cannot be evaluated', () => {
    const body = (text: string) => Buffer.from(text);
    expect(capture([['x', '$.items[?(@.price.amount > 5)].id']], body(ITEMS_WITHOUT_PRICE), {})).toBe(false);
    expect(capture([['x', '$..id']], body(nested(MAX_CAPTURE_DEPTH + 1)), {})).toBe(false);
    expect(capture([['x', '$.a']], undefined, {})).toBe(false);
    expect(capture([['x', '$.a']], body('<html>'), {})).toBe(false);
  });

  it('fills variables from JSON nested up to the limit', () => {
    const vars: Record<string, unknown> = {};
    expect(capture([['x', '$.a.id']], Buffer.from(nested(MAX_CAPTURE_DEPTH)), vars)).toBe(true);
    expect(vars.x).toBe(0);
  });

  it('counts nesting outside strings only', () => {
    expect(nestingDepth('{"a":[1,{"b":"[[[{{{\\"]]"}]}')).toBe(3);
    expect(nestingDepth('"[[["')).toBe(0);
  });
});

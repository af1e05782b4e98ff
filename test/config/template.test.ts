import { describe, expect, it } from 'vitest';
import { compileJsonBody, renderJsonBody } from '../../src/config/template.js';
import { seededRandom } from '../../src/stats/seeded-random.js';

describe('a JSON body compiled at plan time', () => {
  const render = (value: unknown, vars: Record<string, unknown>, seed = 1) => renderJsonBody(compileJsonBody(value), vars, seededRandom(seed).next);

  it('gives a whole placeholder the captured value with its type, and fills placeholders inside text', () => {
    const body = { id: '{{ id }}', items: ['{{ item }}', 'note for {{ user }}'], fixed: { n: 1, ok: true } };
    expect(render(body, { id: 7, item: { sku: 'a' }, user: 'ci' })).toEqual({ id: 7, items: [{ sku: 'a' }, 'note for ci'], fixed: { n: 1, ok: true } });
  });

  it('leaves a missing whole placeholder out of the JSON, and an empty string inside text', () => {
    expect(JSON.stringify(render({ a: '{{ gone }}', b: 'x{{ gone }}y', c: ['{{ gone }}'] }, {}))).toBe('{"b":"xy","c":[null]}');
  });

  it('draws helper calls from the iteration stream in document order, the same draws for the same seed', () => {
    const body = { n: '{{ randomIntBetween(1, 1000000) }}', list: ['{{ uuidv4() }}', 'at {{ randomIntBetween(1, 9) }}'] };
    const first = render(body, {}, 42) as { n: number; list: string[] };
    expect(typeof first.n).toBe('number');
    expect(first.list[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(render(body, {}, 42)).toEqual(first);
    expect(render(body, {}, 43)).not.toEqual(first);
  });

  it('keeps a subtree without placeholders as written, and a __proto__ key as a key', () => {
    const literal = { deep: [1, 'two', { three: null }] };
    const compiled = compileJsonBody({ literal, v: '{{ v }}' });
    expect(compiled.kind).toBe('object');
    expect(renderJsonBody(compiled, { v: 1 }, () => 0)).toEqual({ literal, v: 1 });
    const proto = JSON.parse('{"__proto__": "{{ v }}"}') as unknown;
    expect(Object.keys(renderJsonBody(compileJsonBody(proto), { v: 2 }, () => 0) as object)).toEqual(['__proto__']);
  });
});

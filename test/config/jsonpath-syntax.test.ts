import { describe, expect, it } from 'vitest';
import { jsonPathProblem } from '../../src/config/jsonpath-syntax.js';

/** Captures are checked before the load: paths jsonpath-plus reads pass, the rest say why not. */
describe('JSONPath syntax', () => {
  it.each([
    '$',
    '$.id',
    '$.items[0].id',
    '$..id',
    '$..*',
    '$..[0]',
    '$.items[*]',
    '$.items[-1:]',
    '$.items[1:3]',
    '$.items[0,2]',
    "$['first name'].x",
    "$.a['x','y']",
    '$.a-b',
    '$.items[?(@.price.amount > 5)].id',
    '$.items[?(@.name == "a)b")].id',
    '$.items[(@.length-1)]',
  ])('accepts %s', (path) => {
    expect(jsonPathProblem(path)).toBeUndefined();
  });

  it.each([
    ['$[[[', 'the [ at character 2 is never closed'],
    ['$.a[', 'the [ at character 4 is never closed'],
    ['$]]', '"]" at character 2 is not part of a JSONPath'],
    ['$.a.', 'a name must follow "." at character 5'],
    ['$.a..', 'a name must follow ".." at character 6'],
    ["$['a", 'the quote at character 3 is never closed'],
    ['$[?(@.x', 'the ( at character 4 is never closed'],
    ['$[?(@.x >)]', 'the expression at character 4 cannot be read: Expected expression after >'],
    ['$[?()]', 'the expression at character 4 cannot be read: it is empty'],
    ['$[1:2:3:4]', 'is not an index, a slice, * or a name'],
    ['items.0.id', 'it must start with $'],
  ])('refuses %s: %s', (path, problem) => {
    expect(jsonPathProblem(path)).toContain(problem);
  });
});

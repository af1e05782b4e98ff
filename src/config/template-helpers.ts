/**
 * Template helpers: `{{ randomIntBetween(min, max) }}` and `{{ uuidv4() }}`, named as in k6's
 * jslib (k6-utils), each call a fresh value from the iteration's seeded stream
 * (engine/iteration-random.ts), so that a run repeats from its seed.
 */

export type Helper = { kind: 'randomIntBetween'; min: number; max: number } | { kind: 'uuidv4' };

export const HELPER_NAMES = ['randomIntBetween', 'uuidv4'] as const;

/** What a placeholder's text is when it calls a helper: `name(args)`. */
const CALL = /^([A-Za-z_][A-Za-z0-9_]*)\s*\(([^(){}]*)\)$/;
const INTEGER = /^[+-]?\d+$/;

/** Whether a placeholder's text calls a function (rather than naming a variable). */
export function isHelperCall(text: string): boolean {
  return CALL.test(text);
}

/** A helper call parsed, or what is wrong with it and the fix. */
export function parseHelper(text: string): Helper | { problem: string; fix: string } {
  const call = CALL.exec(text);
  if (!call) return { problem: `${text} is not a helper call`, fix: 'write randomIntBetween(1, 100) or uuidv4()' };
  const name = call[1] as string;
  const args = (call[2] as string).trim() === '' ? [] : (call[2] as string).split(',').map((a) => a.trim());
  if (name === 'uuidv4') {
    return args.length === 0 ? { kind: 'uuidv4' } : { problem: `uuidv4() takes no arguments (got ${args.length})`, fix: 'write {{ uuidv4() }}' };
  }
  if (name === 'randomIntBetween') {
    const fix = 'write two whole numbers, the smallest and the largest value, e.g. {{ randomIntBetween(1, 100) }}';
    if (args.length !== 2) return { problem: `randomIntBetween takes two arguments, min and max (got ${args.length})`, fix };
    const bad = args.find((a) => !INTEGER.test(a) || !Number.isSafeInteger(Number(a)));
    if (bad !== undefined) return { problem: `randomIntBetween takes whole numbers (got ${bad === '' ? 'nothing' : bad})`, fix };
    const [min, max] = args.map(Number) as [number, number];
    if (min > max) return { problem: `randomIntBetween(${min}, ${max}): min is larger than max`, fix: `write randomIntBetween(${max}, ${min})` };
    return { kind: 'randomIntBetween', min, max };
  }
  return { problem: `${name}() is not a template helper`, fix: `use randomIntBetween(min, max) or uuidv4(); a captured value is written without (), as {{ name }}` };
}

/** A helper's value: a number for randomIntBetween (a JSON body keeps it a number), text for uuidv4. */
export function evaluateHelper(helper: Helper, random: () => number): number | string {
  if (helper.kind === 'randomIntBetween') return helper.min + Math.floor(random() * (helper.max - helper.min + 1));
  return uuidv4(random);
}

const HEX = '0123456789abcdef';

/** An RFC 9562 version 4 UUID from `random` (not for secrets: the stream is seeded to repeat). */
function uuidv4(random: () => number): string {
  let out = '';
  for (let i = 0; i < 36; i++) {
    if (i === 8 || i === 13 || i === 18 || i === 23) out += '-';
    else if (i === 14) out += '4';
    else if (i === 19) out += HEX[8 + Math.floor(random() * 4)];
    else out += HEX[Math.floor(random() * 16)];
  }
  return out;
}

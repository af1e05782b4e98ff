/**
 * A profile's size bounds what reading it costs: the file at most MAX_PROFILE_BYTES, and with its
 * aliases written out at most MAX_EXPANDED_SIZE. The YAML parser's own alias limit counts aliases,
 * not what they repeat: one long value aliased under that count still multiplies the cost of
 * every later check. These tests assert the refusal and its message; a check that expanded the
 * aliases to measure them would not finish the exponential ones.
 */
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProfile, parseProfile } from '../../src/config/load-profile.js';
import { MAX_EXPANDED_SIZE, MAX_PROFILE_BYTES } from '../../src/config/yaml-source.js';
import { configErrorMessage } from '../helpers/config-problem.js';

const HEAD = `target: http://127.0.0.1:9
scenarios: { s: { executor: constant-vus, vus: 1, duration: 1s } }
journeys:
  j:
    steps:
`;

/** A profile whose first step's header holds `value` as &big, and `uses` more steps that alias it. */
function aliasing(value: string, uses: number): string {
  let text = `${HEAD}      - { name: s0, request: GET /, headers: { x-pad: &big "${value}" } }\n`;
  for (let i = 1; i <= uses; i++) text += `      - { name: s${i}, request: GET /, headers: { x-pad: *big } }\n`;
  return text;
}

const load = (text: string) => () => parseProfile(text, { file: 'tailgate.yml', env: {} });

describe('the size of a profile', () => {
  it('the limits are those the docs state', () => {
    expect(MAX_PROFILE_BYTES).toBe(1024 * 1024);
    expect(MAX_EXPANDED_SIZE).toBe(1024 * 1024);
  });

  it('refuses one 160 KB value aliased 98 times (a 165 KB file), naming the alias, its line and the limit', () => {
    const text = aliasing('x'.repeat(160 * 1024), 98);
    expect(text.length).toBeLessThan(MAX_PROFILE_BYTES);
    expect(configErrorMessage(load(text))).toBe(
      'tailgate.yml:7:55: YAML: with its aliases written out the profile would be 15.47MiB, more than the 1MiB a profile may expand to; *big repeats 160KiB and is used 98 time(s). ' +
        'Fix: write a long value out once where it is needed, or alias only short values (each *name repeats all of its &name; at most 1MiB in all)',
    );
  });

  it('refuses aliases of aliases that double at every level (2^60 copies) at once', () => {
    let text = 'a0: &a0 "0123456789"\n';
    for (let i = 1; i <= 60; i++) text += `a${i}: &a${i} [*a${i - 1}, *a${i - 1}]\n`;
    expect(configErrorMessage(load(text))).toMatch(/^tailgate\.yml:\d+:\d+: YAML: with its aliases written out the profile would be far more than the 1MiB a profile may expand to; \*a\d+ repeats/);
  });

  it('still reads a profile that aliases a short value often, or a long one a few times', () => {
    expect(load(aliasing('Bearer abc.def.ghi', 90))().journeys.map((j) => j.steps.length)).toEqual([91]);
    expect(load(aliasing('y'.repeat(200 * 1024), 3))().journeys[0]?.steps[3]?.headers['x-pad']).toHaveLength(200 * 1024);
  });

  it('refuses a file larger than a profile may be, with its size and the limit', () => {
    const text = `${HEAD}      - { request: GET /, headers: { x-pad: "${'z'.repeat(MAX_PROFILE_BYTES)}" } }\n`;
    expect(configErrorMessage(load(text))).toBe(
      'tailgate.yml: the file is 1MiB, more than a profile may be (1MiB). Fix: keep large request bodies and rows of data out of the profile: rows go in a data set (a CSV or JSON file the profile names)',
    );
  });

  it('refuses a file larger than a profile may be before reading it into memory', async () => {
    // A sparse 3 GiB file: read whole, it would not even fit in a string.
    const file = join(mkdtempSync(join(tmpdir(), 'tailgate-large-')), 'tailgate.yml');
    writeFileSync(file, HEAD);
    truncateSync(file, 3 * 1024 ** 3);
    await expect(loadProfile(file, { env: {} })).rejects.toThrow(`${file}: the file is 3GiB, more than a profile may be (1MiB)`);
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Comparison } from '../../src/compare/comparison-types.js';
import { captureIo } from '../cli/cli-io.js';
import { syntheticPaired } from '../helpers/synthetic-paired.js';

const dir = mkdtempSync(join(tmpdir(), 'tailgate-paired-compare-'));

describe('tailgate compare --current paired.json', () => {
  const file = join(dir, 'paired.json');
  writeFileSync(file, JSON.stringify(syntheticPaired({ seed: 31, headScale: 1.3 })));

  it('judges head against base, writes the comparison, the comment and the HTML report', async () => {
    const io = captureIo();
    const json = join(dir, 'c.json');
    const markdown = join(dir, 'c.md');
    const html = join(dir, 'c.html');
    expect(await main(['compare', '--current', file, '--json', json, '--markdown', markdown, '--html', html], io)).toBe(1);
    const comparison = JSON.parse(readFileSync(json, 'utf8')) as Comparison;
    expect(comparison.verdict).toBe('regression');
    expect(comparison.pairing?.pairs).toBe(12);
    expect(readFileSync(markdown, 'utf8')).toMatch(/Paired with/);
    expect(readFileSync(html, 'utf8')).toMatch(/^<!doctype html>/i);
  });

  it('judges it again with other settings', async () => {
    const io = captureIo();
    expect(await main(['compare', '--current', file, '--threshold', '50'], io)).toBe(0);
    expect(io.out()).toMatch(/verdict: pass .*paired with http:\/\/127\.0\.0\.1:3000 · 12 block pairs/);
  });

  it('refuses a damaged paired record with exit 2, naming the file', async () => {
    const damaged = join(dir, 'damaged.json');
    const record = JSON.parse(readFileSync(file, 'utf8')) as { order: string[] };
    record.order.pop();
    writeFileSync(damaged, JSON.stringify(record));
    const io = captureIo();
    expect(await main(['compare', '--current', damaged], io)).toBe(2);
    expect(io.log.join('\n')).toMatch(/damaged\.json.*blocks/);
  });
});

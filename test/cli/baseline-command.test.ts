import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBundle } from '../../src/baseline/bundle-file.js';
import { main } from '../../src/cli/main.js';
import { DEFAULT_SYNTHETIC_MODEL, seededRandom, syntheticRun } from '../../src/validate/synthetic-runs.js';
import { captureIo } from './cli-io.js';

const model = { ...DEFAULT_SYNTHETIC_MODEL, durationSeconds: 5 };
const commits = ['1111111aaaa', '2222222bbbb', '3333333cccc'];

async function baselineFile(): Promise<string> {
  const runs = commits.map((commit, i) => {
    const run = syntheticRun({ model, random: seededRandom(i), sequence: i });
    return { ...run, meta: { ...run.meta, commit: commit.padEnd(40, '0'), ...(i === 2 ? { baseline: { newSegment: 'accepted' as const } } : {}) } };
  });
  const file = join(await mkdtemp(join(tmpdir(), 'tailgate-baseline-')), 'baseline.json');
  await writeFile(file, JSON.stringify({ schema: 'tailgate.baseline/v1', profile: runs[0]!.meta.profile, runs }));
  return file;
}

describe('tailgate baseline', () => {
  it('lists each run with its commit, date and p95, and where a segment starts', async () => {
    const file = await baselineFile();
    const io = captureIo();
    expect(await main(['baseline', 'list', file], io)).toBe(0);
    const lines = io.out().trim().split('\n');
    expect(lines[0]).toContain('3 runs, oldest first');
    expect(lines[2]).toMatch(/^ {2}1 {2}1111111 {2}2026-01-01 00:00 +\d+\.\d ms/);
    expect(lines[4]).toMatch(/3333333 .* accepted: a new segment starts$/);
  });

  it('prunes the runs of a commit, and refuses a commit it does not hold', async () => {
    const file = await baselineFile();
    expect(await main(['baseline', 'prune', file, '--commit', '2222222'], captureIo())).toBe(0);
    const left = parseBundle(await readFile(file, 'utf8'), file).runs.map((r) => r.meta.commit!.slice(0, 7));
    expect(left).toEqual(['1111111', '3333333']);
    const io = captureIo();
    expect(await main(['baseline', 'prune', file, '--commit', '9999999'], io)).toBe(2);
    expect(io.log.join('\n')).toContain('holds no run recorded at commit 9999999');
  });

  it('resets to the newest run, marked as a reset', async () => {
    const file = await baselineFile();
    expect(await main(['baseline', 'reset', file], captureIo())).toBe(0);
    const runs = parseBundle(await readFile(file, 'utf8'), file).runs;
    expect(runs.map((r) => [r.meta.commit!.slice(0, 7), r.meta.baseline])).toEqual([['3333333', { newSegment: 'reset' }]]);
  });

  it('says what it needs', async () => {
    const io = captureIo();
    expect(await main(['baseline', 'drop', 'x.json'], io)).toBe(2);
    expect(io.log.join('\n')).toContain('tailgate baseline needs one of list, prune, reset');
  });
});

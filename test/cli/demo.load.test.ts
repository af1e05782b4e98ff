import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { parseBaselineFile } from '../../src/baseline/read-baseline-file.js';
import type { Comparison } from '../../src/compare/comparison-types.js';
import { decodeCounts, percentileOfCounts } from '../../src/record/latency-counts.js';
import type { RunRecord } from '../../src/record/run-record-types.js';
import { parseRunRecord } from '../../src/record/read-run-record.js';
import { captureIo } from './cli-io.js';

/**
 * The demo for real: product detail measured slower than before on the sample service (real
 * latencies, so it runs with the load, one file at a time), and its output fitted to the width.
 */
describe('tailgate demo', () => {
  it('runs the sample service three times as the baseline, then with product detail slower, and prints both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tailgate-demo-'));
    const io = captureIo();
    expect(await main(['demo', '--duration', '4s', '--slowdown', '1', '--out-dir', dir, '--quiet'], io)).toBe(0);
    expect(io.out()).toContain('== baseline (the newest of 3 runs) ==');
    expect(io.out()).toContain('== current (detail 100% slower) ==');
    const read = (name: string) => parseRunRecord(readFileSync(join(dir, name), 'utf8'), name);
    const bundle = parseBaselineFile(readFileSync(join(dir, 'baseline.json'), 'utf8'), 'baseline.json');
    expect(bundle).toHaveLength(3);
    const baseline = bundle[2] as (typeof bundle)[number];
    const current = read('current.json');
    expect(baseline.overall.errors).toBe(0);
    expect(current.overall.errors).toBe(0);
    expect(Object.keys(current.steps)).toEqual(['list', 'detail', 'checkout']);
    // Product detail made slower, as the service itself says (its Server-Timing: what it meant to
    // spend, which the load of a shared machine does not move, as it moves the measured latencies).
    const dbP50 = (record: RunRecord): number => {
      const db = record.steps.detail?.serverTiming?.components.db;
      return db === undefined ? Number.NaN : percentileOfCounts(decodeCounts(db.histogram), 50);
    };
    expect(dbP50(current)).toBeGreaterThan(1.5 * dbP50(baseline));

    // Fitted to 100 columns (not a terminal): the comparison's table and notes within them, every
    // other line within 120, except the comment's own markdown, which is printed with its folds
    // closed (no Mermaid source); the whole comment is in comment.md, and the output says so.
    const out = io.out();
    const [before, rest] = out.split('== the pull-request comment it would post (markdown) ==\n') as [string, string];
    const [markdown, after] = rest.split(/\n(?=Folds closed here)/) as [string, string];
    const comparison = before.slice(before.indexOf('== the comparison =='));
    expect(comparison.split('\n').filter((line) => line.length > 100)).toEqual([]);
    expect([...before.split('\n'), ...after.split('\n'), ...io.log].filter((line) => line.length > 120)).toEqual([]);
    expect(markdown).not.toContain('```mermaid');
    // The demo writes its target and length into the profile: nothing of it is a secret to mask.
    expect([out, ...io.log].join('\n')).not.toContain('***');
    expect(io.log.join('\n')).toMatch(/tailgate: demo -> http:\/\/127\.0\.0\.1:\d+: 1 scenario\(s\), 4s,/);
    expect(markdown).toContain('<details><summary>Charts: p95 per block</summary>…</details>');
    expect(after.replace(/\s+/g, ' ')).toContain(`the whole comment, with its per-step tables and charts, is in ${join(dir, 'comment.md')}`);
    const comment = readFileSync(join(dir, 'comment.md'), 'utf8');
    expect(comment).toContain('```mermaid');
    expect(comment.startsWith(markdown.trim().split('\n<details>')[0] as string)).toBe(true);

    // Product detail says where its time went, and the slowdown went to its database: the
    // breakdown puts db first (the largest move), up by about the detail's usual time, app about level.
    expect(Object.entries(current.steps).filter(([, step]) => step?.serverTiming !== undefined).map(([name]) => name)).toEqual(['detail']);
    const compared = JSON.parse(readFileSync(join(dir, 'comparison.json'), 'utf8')) as Comparison;
    const detail = compared.steps.find((step) => step.name === 'detail');
    const [db, app] = detail?.serverTiming?.components ?? [];
    expect([db?.name, app?.name]).toEqual(['db', 'app']);
    expect(db?.changePct).toBeGreaterThan(50);
    expect(Math.abs(app?.changePct ?? Infinity)).toBeLessThan(30);
    expect(comparison).toMatch(/detail: db [\d.]+ ms → [\d.]+ ms \(\+/);
    // The verdict line of a detail regression names it, outside the folds; the fold has the table.
    if (detail?.p95.verdict === 'regression') expect(markdown).toMatch(/p95 of <code>detail<\/code> is [^\n]*; Server-Timing: <code>db<\/code> \+/);
    expect(comment).toMatch(/\| <code>db<\/code> \| [\d.]+ ms \| [\d.]+ ms \| \+/);
  });
});

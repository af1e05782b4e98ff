import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Comparison } from '../../src/compare/comparison-types.js';
import { captureIo } from './cli-io.js';

const records = join(import.meta.dirname, '../fixtures/records');
const fixture = (name: string): string => join(records, name);
const dir = mkdtempSync(join(tmpdir(), 'tailgate-compare-'));
const readJson = (file: string): Comparison => JSON.parse(readFileSync(file, 'utf8')) as Comparison;

describe('tailgate compare', () => {
  it('passes a run like its baseline bundle (exit 0)', async () => {
    const io = captureIo();
    const json = join(dir, 'pass.json');
    expect(await main(['compare', '--baseline', fixture('baseline-bundle.json'), '--current', fixture('current-pass.json'), '--json', json], io)).toBe(0);
    expect(readJson(json)).toMatchObject({ schema: 'tailgate.comparison/v1', verdict: 'pass', conclusion: 'success' });
    expect(io.out()).toMatch(/^verdict: pass \(check: success\), 5 baseline run\(s\)/);
  });

  it('fails a regression (exit 1), writing the comparison and the comment', async () => {
    const io = captureIo();
    const json = join(dir, 'regression.json');
    const markdown = join(dir, 'regression.md');
    const args = ['compare', '--baseline', fixture('baseline-bundle.json'), '--current', fixture('current-regression.json'), '--json', json, '--markdown', markdown];
    expect(await main(args, io)).toBe(1);
    const comparison = readJson(json);
    expect(comparison.verdict).toBe('regression');
    expect(comparison.steps.find((s) => s.name === 'checkout')?.p95.verdict).toBe('regression');
    expect(readFileSync(markdown, 'utf8')).toMatch(/^### ❌ tailgate: shop/);
    expect(io.out()).toMatch(/checkout\s+p95\s+.*REGRESSION/);
  });

  it('judges only whole runs: the same regression, interrupted, is inconclusive (exit 0) and says why', async () => {
    const record = JSON.parse(readFileSync(fixture('current-regression.json'), 'utf8'));
    const file = join(dir, 'interrupted.json');
    writeFileSync(file, JSON.stringify({ ...record, meta: { ...record.meta, interrupted: true } }));
    const json = join(dir, 'interrupted-comparison.json');
    const markdown = join(dir, 'interrupted.md');
    expect(await main(['compare', '--baseline', fixture('baseline-bundle.json'), '--current', file, '--json', json, '--markdown', markdown], captureIo())).toBe(0);
    expect(readJson(json)).toMatchObject({ verdict: 'inconclusive', conclusion: 'neutral', incomplete: { cause: 'interrupted' } });
    expect(readFileSync(markdown, 'utf8')).toMatch(/⚠️ Inconclusive: the run was interrupted \(Ctrl-C or SIGTERM\) after [\d.]+ s of the [\d.]+ s planned of measurement; only whole runs are judged\./);
  });

  it('warns once with --fail-on inconclusive how often it fails unchanged runs, and only then', async () => {
    const args = ['compare', '--baseline', fixture('baseline-bundle.json'), '--current', fixture('current-pass.json')];
    const warned = captureIo();
    expect(await main([...args, '--fail-on', 'inconclusive'], warned)).toBe(0);
    expect(warned.log.filter((line) => /fail-on: inconclusive fails every run the gate cannot decide/.test(line))).toHaveLength(1);
    expect(warned.log.join('\n')).toMatch(/86–87% of unchanged 60 s paired runs/);
    const quiet = captureIo();
    await main(args, quiet);
    expect(quiet.log.join('\n')).not.toMatch(/fail-on: inconclusive/);
  });

  it('never fails with --fail-on never, and takes --threshold', async () => {
    const args = ['compare', '--baseline', fixture('baseline-bundle.json'), '--current', fixture('current-regression.json')];
    expect(await main([...args, '--fail-on', 'never'], captureIo())).toBe(0);
    const json = join(dir, 'loose.json');
    expect(await main([...args, '--threshold', '60', '--json', json], captureIo())).toBe(0);
    expect(readJson(json).settings.allowed.p95Pct).toBe(60);
  });

  it('checks the profile thresholds with --config, failing on a broken one with its line', async () => {
    const config = join(dir, 'shop.yml');
    writeFileSync(
      config,
      `name: shop\ntarget: \${TARGET_URL}\nscenarios:\n  s:\n    executor: constant-vus\n    vus: 1\n    duration: 10s\njourneys:\n  j:\n    steps:\n      - name: list\n        request: GET /list\n      - name: checkout\n        request: POST /checkout\nthresholds:\n  "http_req_duration{step:checkout}": ["p(99)<100"]\nregression: { p95: 60% }\n`,
    );
    const io = captureIo();
    const json = join(dir, 'with-config.json');
    expect(await main(['compare', '--config', config, '--baseline', fixture('baseline-bundle.json'), '--current', fixture('current-pass.json'), '--json', json], io)).toBe(1);
    const comparison = readJson(json);
    expect(comparison.verdict).toBe('pass');
    expect(comparison.conclusion).toBe('failure');
    expect(comparison.settings.allowed.p95Pct).toBe(60);
    // An explicit --threshold wins over the profile's regression settings.
    const flagged = join(dir, 'with-config-and-flag.json');
    await main(['compare', '--config', config, '--threshold', '15', '--baseline', fixture('baseline-bundle.json'), '--current', fixture('current-pass.json'), '--json', flagged], captureIo());
    expect(readJson(flagged).settings.allowed.p95Pct).toBe(15);
    expect(io.unwrapped()).toMatch(/BROKEN http_req_duration\{step:checkout\}: p\(99\)<100, observed [\d.]+ ms \(.*shop\.yml:16\)/);
  });

  it('does not compare a baseline of another profile: neutral, with the reason', async () => {
    const io = captureIo();
    const json = join(dir, 'other.json');
    expect(await main(['compare', '--baseline', fixture('baseline-bundle.json'), '--current', fixture('current-other-profile.json'), '--json', json], io)).toBe(0);
    const comparison = readJson(json);
    expect(comparison).toMatchObject({ verdict: 'no-baseline', conclusion: 'neutral' });
    expect(JSON.stringify(comparison.history.skipped)).toContain('different profile');
  });

  it('refuses an unreadable baseline with the file and the fix (exit 2)', async () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, readFileSync(fixture('current-pass.json'), 'utf8').slice(0, 500));
    const io = captureIo();
    expect(await main(['compare', '--baseline', broken, '--current', fixture('current-pass.json')], io)).toBe(2);
    expect(io.log.join('\n')).toMatch(/broken\.json: the file is truncated.*Fix:/);
  });

  it('needs its files', async () => {
    const io = captureIo();
    expect(await main(['compare', '--current', fixture('current-pass.json')], io)).toBe(2);
    expect(io.log.join('\n')).toContain('needs --baseline');
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { startSampleService, type SampleService } from '../../src/sample-service/sample-service.js';
import { captureIo } from '../cli/cli-io.js';
import { shopProfile } from '../helpers/built-action.js';
import { syntheticPaired } from '../helpers/synthetic-paired.js';

/** The paired blocks chart is drawn only from the paired record: its caption shows the record reached the page. */
const PAIRED_BLOCKS = 'Paired blocks in the order they ran';
const dir = mkdtempSync(join(tmpdir(), 'tailgate-paired-html-'));

describe('the HTML report of a paired record', () => {
  const file = join(dir, 'paired.json');
  writeFileSync(file, JSON.stringify(syntheticPaired({ seed: 41, headScale: 1.3 })));

  it('tailgate report --current paired.json: head against base with its blocks in order, judged with the default settings', async () => {
    const io = captureIo();
    const html = join(dir, 'report.html');
    expect(await main(['report', '--current', file, '--html', html], io)).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/^<!doctype html>/i);
    expect(page).toContain(PAIRED_BLOCKS);
    expect(page).toContain('http://127.0.0.1:3001');
    expect(page).toContain('Compared with the default settings (no --comparison was given)');
  });

  it('tailgate report --current paired.json --comparison: the comparison compare --json wrote, with its own settings', async () => {
    const json = join(dir, 'lenient.json');
    expect(await main(['compare', '--current', file, '--threshold', '50', '--json', json], captureIo())).toBe(0);
    const html = join(dir, 'lenient.html');
    expect(await main(['report', '--current', file, '--comparison', json, '--html', html], captureIo())).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain(PAIRED_BLOCKS);
    expect(page).toContain('p95 +50%');
    expect(page).not.toContain('Compared with the default settings');
  });

  it('tailgate compare --current paired.json --html draws the blocks too', async () => {
    const html = join(dir, 'compare.html');
    expect(await main(['compare', '--current', file, '--html', html], captureIo())).toBe(1);
    expect(readFileSync(html, 'utf8')).toContain(PAIRED_BLOCKS);
  });

  it('refuses baselines beside a paired record, which holds its own base (exit 2)', async () => {
    const io = captureIo();
    expect(await main(['report', '--current', file, '--baseline', file, '--html', join(dir, 'no.html')], io)).toBe(2);
    expect(io.err() + io.log.join('\n')).toContain('is a paired record, which holds its base: leave out --baseline');
  });
});

describe('tailgate run --baseline-target --html', () => {
  let head: SampleService;
  let base: SampleService;
  beforeAll(async () => {
    [head, base] = await Promise.all([startSampleService(), startSampleService()]);
  });
  afterAll(async () => {
    await Promise.all([head.close(), base.close()]);
  });

  it('writes the page of head against base beside the paired record', async () => {
    const config = join(dir, 'shop.yml');
    writeFileSync(config, shopProfile('', { rate: 40, duration: '6s' }));
    const html = join(dir, 'run.html');
    const out = join(dir, 'run-paired.json');
    const io = captureIo();
    const code = await main(['run', '--config', config, '--target', head.url, '--baseline-target', base.url, '--pair-block', '1s', '--pair-settle', '0s', '--out', out, '--html', html, '--quiet'], io);
    expect([0, 1], io.log.join('\n')).toContain(code);
    expect(io.log.join('\n')).toContain(`HTML report written to ${html}`);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain(PAIRED_BLOCKS);
    expect(page).toContain(head.url);
    expect(JSON.parse(readFileSync(out, 'utf8')).schema).toBe('tailgate.paired/v1');
  }, 30_000);
});

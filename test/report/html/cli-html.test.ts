import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { captureIo } from '../../cli/cli-io.js';
import { regressionCase } from './report-fixtures.js';

/** `--html` on compare, and `tailgate report` from records and a comparison already written. */
describe('the HTML report from the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tailgate-html-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const { current, baselines } = regressionCase({ baselineRuns: 4 });
  const currentFile = join(dir, 'current.json');
  writeFileSync(currentFile, JSON.stringify(current));
  const baselineFiles = baselines.map((run, i) => {
    const file = join(dir, `baseline-${i}.json`);
    writeFileSync(file, JSON.stringify(run));
    return file;
  });

  test('tailgate compare --html writes the page beside --json; tailgate report renders the same page from them', async () => {
    const html = join(dir, 'compare.html');
    const json = join(dir, 'comparison.json');
    const io = captureIo();
    const code = await main(['compare', '--baseline', ...baselineFiles, '--current', currentFile, '--json', json, '--html', html], io);
    expect(code).toBe(1);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<span class="word">regression</span>');

    const again = join(dir, 'report.html');
    expect(await main(['report', '--current', currentFile, '--baseline', ...baselineFiles, '--comparison', json, '--html', again], captureIo())).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(page);
  });

  test('tailgate report without a comparison compares with the default settings, and says so', async () => {
    const html = join(dir, 'defaults.html');
    expect(await main(['report', '--current', currentFile, '--baseline', baselineFiles[0] as string, '--html', html], captureIo())).toBe(0);
    expect(readFileSync(html, 'utf8')).toContain('Compared with the default settings');
  });

  test('tailgate report with only the run shows it alone', async () => {
    const html = join(dir, 'alone.html');
    expect(await main(['report', '--current', currentFile, '--html', html], captureIo())).toBe(0);
    expect(readFileSync(html, 'utf8')).toContain('Run only');
  });

  test.each([
    ['not JSON', '{', 'not valid JSON'],
    ['another schema', JSON.stringify({ schema: 'tailgate.run/v1' }), 'not a tailgate comparison'],
    ['parts missing', JSON.stringify({ schema: 'tailgate.comparison/v1', steps: [] }), 'missing'],
  ])('a comparison file that is %s is refused with exit 2, naming the file', async (_, text, message) => {
    const file = join(dir, 'bad-comparison.json');
    writeFileSync(file, text);
    const io = captureIo();
    expect(await main(['report', '--current', currentFile, '--comparison', file, '--html', join(dir, 'x.html')], io)).toBe(2);
    expect(io.log.join('\n')).toContain(file);
    expect(io.log.join('\n')).toContain(message);
  });

  test('a comparison of another run is refused', async () => {
    const json = join(dir, 'other.json');
    await main(['compare', '--baseline', ...baselineFiles.slice(1), '--current', baselineFiles[0] as string, '--json', json], captureIo());
    const io = captureIo();
    expect(await main(['report', '--current', currentFile, '--comparison', json, '--html', join(dir, 'y.html')], io)).toBe(2);
    expect(io.log.join('\n')).toContain('it judges another run');
  });

  test('tailgate report needs --current and --html', async () => {
    const io = captureIo();
    expect(await main(['report', '--current', currentFile], io)).toBe(2);
    expect(io.log.join('\n')).toContain('--html FILE');
  });
});

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { UPLOT_CSS, UPLOT_JS, UPLOT_VERSION } from '../../../src/report/html/uplot-source.js';

// The generated module must be what scripts/uplot-source.mjs writes from the installed uplot.
test('src/report/html/uplot-source.ts matches the installed uplot (node scripts/uplot-source.mjs regenerates it)', () => {
  expect(() => execFileSync(process.execPath, ['scripts/uplot-source.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  const installed = JSON.parse(readFileSync('node_modules/uplot/package.json', 'utf8')) as { version: string };
  expect(UPLOT_VERSION).toBe(installed.version);
  expect(UPLOT_JS).toBe(readFileSync('node_modules/uplot/dist/uPlot.iife.min.js', 'utf8'));
  expect(UPLOT_CSS).toBe(readFileSync('node_modules/uplot/dist/uPlot.min.css', 'utf8'));
});

test('uPlot stays small enough to inline in every page (under 80 KB)', () => {
  expect(UPLOT_JS.length + UPLOT_CSS.length).toBeLessThan(80_000);
});

#!/usr/bin/env node
// A full-page screenshot of an HTML report, as the browser test takes them: Debian's chromium
// (/usr/bin/chromium, apt-get install chromium) driven by playwright-core, every request but the
// page's own file refused. Fails when the page logs an error, asks for anything, or draws no chart.
// docs/html-report.png is made with it (see docs/html-report.md).
//
//   node scripts/screenshot-html-report.mjs [--only=SECTION] report.html report.png [WIDTH=1400] [HEIGHT]
// With HEIGHT, only the page's top HEIGHT pixels. With --only, only the section of that id (for
// example --only=analysis, what the run's shape answers; --only=timeline), and fails when the
// page has none.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const args = process.argv.slice(2);
const only = args.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const [input, output, width = '1400', height] = args.filter((arg) => !arg.startsWith('--only='));
if (!input || !output || !Number.isInteger(Number(width)) || (height !== undefined && !Number.isInteger(Number(height))) || (only !== undefined && !/^[A-Za-z][\w-]*$/.test(only))) {
  console.error('usage: node scripts/screenshot-html-report.mjs [--only=SECTION] REPORT.html OUT.png [WIDTH=1400] [HEIGHT]');
  process.exit(2);
}
if (!existsSync(CHROMIUM)) {
  console.error(`${CHROMIUM} is not installed (apt-get install -y chromium)`);
  process.exit(2);
}

const url = pathToFileURL(resolve(input)).href;
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
try {
  const page = await browser.newPage({ viewport: { width: Number(width), height: 1000 } });
  const problems = [];
  page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.route('**/*', (route) => {
    const asked = route.request().url();
    if (asked === url) return route.continue();
    problems.push(`request refused: ${asked}`);
    return route.abort();
  });
  await page.goto(url, { waitUntil: 'load' });
  const drawn = await page.waitForFunction(() => Array.isArray(globalThis.tailgateCharts) && { charts: globalThis.tailgateCharts.length }, undefined, { timeout: 30_000 });
  const { charts } = await drawn.jsonValue();
  if (!(charts > 0)) problems.push('no chart was drawn');
  const section = only === undefined ? undefined : page.locator(`section#${only}`);
  if (section !== undefined && (await section.count()) === 0) problems.push(`the page has no section "${only}"`);
  else if (section !== undefined) await section.screenshot({ path: output });
  else await page.screenshot({ path: output, fullPage: true, ...(height ? { clip: { x: 0, y: 0, width: Number(width), height: Number(height) } } : {}) });
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    process.exitCode = 1;
  } else {
    console.log(`${output}: ${charts} charts, no error, no request`);
  }
} finally {
  await browser.close();
}

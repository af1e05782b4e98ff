import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { renderHtmlReport } from '../../../src/report/html/render-html-report.js';
import { everyAnswer, surgeRecord } from './analysis-fixtures.js';
import { hostileCase, pairedCase, regressionCase } from './report-fixtures.js';
import { serverTimingCase } from '../server-timing-fixtures.js';
import { compareRuns } from '../../../src/compare/compare-runs.js';
import { seededRandom } from '../../../src/stats/seeded-random.js';
import { syntheticRun } from '../../compare/record-builder.js';
import { withScrapes } from '../../compare/target-metrics-runs.js';

/**
 * Opens rendered pages in a real browser (Debian's chromium, /usr/bin/chromium) with every
 * request that is not the page's own file refused, and checks what a reader would: no errors,
 * every chart drawn with data, the verdict there. Screenshots go to test-output/html-report/.
 * Without chromium (apt-get install chromium; .ci/run installs it) the tests are skipped.
 */
const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const OUTPUT = resolve('test-output/html-report');
if (!HAVE_CHROMIUM) console.warn(`test/report/html/browser.test.ts: skipped, ${CHROMIUM} is not installed (apt-get install -y chromium)`);

interface Opened {
  consoleErrors: string[];
  blocked: string[];
  charts: Array<{ kind: string; width: number; height: number; points: number; inked: number }>;
  verdict: string;
  /** What `inspect` found on the page, when given. */
  inspected?: unknown;
}

describe.skipIf(!HAVE_CHROMIUM)(`the HTML report in chromium${HAVE_CHROMIUM ? '' : ` (skipped: ${CHROMIUM} not installed)`}`, () => {
  let context: BrowserContext;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tailgate-html-'));
    mkdirSync(OUTPUT, { recursive: true });
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 1000 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function open(name: string, html: string, inspect?: (page: Page) => Promise<unknown>): Promise<Opened> {
    const file = join(dir, `${name}.html`);
    writeFileSync(file, html);
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('dialog', (dialog) => {
      consoleErrors.push(`a script opened a dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    page.on('request', (request) => {
      if (request.url() !== pathToFileURL(file).href && !blocked.includes(request.url())) blocked.push(request.url());
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await page.waitForFunction(() => Array.isArray((globalThis as unknown as { tailgateCharts?: unknown[] }).tailgateCharts));
    const charts = await page.evaluate(() => {
      // Browser types, as far as used here (the project's tsconfig has no DOM library).
      type Context2d = { canvas: { width: number; height: number }; getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
      type Chart = { data: Array<Array<number | null>>; ctx: Context2d; tailgateSpec: { kind: string } };
      const page = globalThis as unknown as { tailgateCharts: Chart[]; document: { querySelectorAll(selector: string): { length: number } } };
      const drawn = page.tailgateCharts;
      const placeholders = page.document.querySelectorAll('[data-chart]').length;
      if (drawn.length !== placeholders) throw new Error(`${drawn.length} charts drawn for ${placeholders} placeholders`);
      return drawn.map((chart) => {
        const canvas = chart.ctx.canvas;
        const pixels = chart.ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        let inked = 0;
        for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] as number) > 0) inked++;
        const points = Math.max(...chart.data.slice(1).map((column) => column.filter((v) => v !== null && v !== undefined).length));
        return { kind: chart.tailgateSpec.kind, width: canvas.width, height: canvas.height, points, inked };
      });
    });
    const verdict = (await page.textContent('.verdict')) ?? '';
    const inspected = inspect ? await inspect(page) : undefined;
    await page.screenshot({ path: join(OUTPUT, `${name}.png`), fullPage: true });
    await page.close();
    return { consoleErrors, blocked, charts, verdict, inspected };
  }

  function expectDrawn(opened: Opened, count: number): void {
    expect(opened.consoleErrors).toEqual([]);
    expect(opened.blocked).toEqual([]);
    expect(opened.charts).toHaveLength(count);
    for (const chart of opened.charts) {
      expect(chart.width).toBeGreaterThan(200);
      expect(chart.height).toBeGreaterThan(100);
      // A history chart's "this run" is one point; every other chart has a line of them.
      expect(chart.points).toBeGreaterThanOrEqual(chart.kind === 'history' ? 1 : 5);
      expect(chart.inked).toBeGreaterThan(2000);
    }
  }

  test('a regression against 10 baseline runs: every chart drawn, no console error, no request', async () => {
    const opened = await open('comparison', renderHtmlReport(regressionCase({ warmupMs: 5000 })));
    // The timeline's four and the histogram, five charts for each of the overall and 3 steps, and the load's shape.
    expectDrawn(opened, 5 + 4 * 5 + 1);
    expect(opened.verdict).toContain('regression');
    expect(opened.verdict).toMatch(/(overall p95|p95 of checkout) is \d+% slower/);
  }, 60_000);

  test('a run alone', async () => {
    const { current } = regressionCase({ baselineRuns: 1 });
    const opened = await open('run-alone', renderHtmlReport({ current }));
    expectDrawn(opened, 5 + 4 * 4 + 1);
    expect(opened.verdict).toContain('Run only');
  }, 60_000);

  test('hostile names run no script and break no chart', async () => {
    const opened = await open('hostile-names', renderHtmlReport(hostileCase()));
    expectDrawn(opened, 5 + 4 * 5 + 1);
  }, 60_000);

  test('Server-Timing: each component drawn per block, a hostile name shown as text, no script run', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const html = renderHtmlReport(serverTimingCase({ names: { db: hostile } }));
    const placed = html.match(/data-chart="/g)?.length ?? 0;
    const opened = await open('server-timing', html, (page) => page.textContent('.server-timing'));
    expectDrawn(opened, placed);
    expect(opened.inspected).toContain(`${hostile}10.0 ms40.0 ms+30.0 ms (+300%)`);
  }, 60_000);

  test("the target's own metrics: the CPU regression in its table, CPU per request and memory drawn per block", async () => {
    const run = (seed: number, cpuMs = 0.4) => withScrapes(syntheticRun(seed, { list: { blocks: 30, requestsPerBlock: 100 } }, { blockMs: 1_000, sequence: seed }), seededRandom(seed + 1_000), { cpuMs });
    const baselines = [1, 2, 3, 4].map((seed) => run(seed));
    const current = run(9, 1.0);
    const html = renderHtmlReport({ comparison: compareRuns({ baselines, current, options: { cpuPct: 25 } }), current, baselines });
    const placed = html.match(/data-chart="/g)?.length ?? 0;
    const opened = await open('target-metrics', html, (page) => page.textContent('#target-metrics'));
    expectDrawn(opened, placed);
    expect(opened.inspected).toMatch(/CPU per request0\.5\d* ms CPU\/req1\.\d+ ms CPU\/req\+1\d\d%/);
    expect(opened.inspected).toContain('Memory growth');
    expect(opened.verdict).toContain("CPU per request");
  }, 60_000);

  test('a run with its analysis: the answers said, the knee marked, the surge, its recovery and the trend drawn', async () => {
    const current = surgeRecord(5000);
    const plain = renderHtmlReport({ current }).match(/data-chart="/g)?.length ?? 0;
    const opened = await open('analysis', renderHtmlReport({ current, analysis: everyAnswer() }), answersDrawn);
    expectDrawn(opened, plain + 2);
    const kinds = opened.charts.map((c) => c.kind);
    expect(kinds.filter((k) => k === 'load')).toHaveLength(1);
    const { items, zones, markers } = opened.inspected as AnswersDrawn;
    expect(items).toHaveLength(3);
    expect(items[0]).toMatch(/^Breaking point: sustains 330 req\/s/);
    // The surge and the recovery window each tint their columns of the time chart; the knee's two lines are drawn in their colours.
    expect(zones.map((z) => z.label)).toEqual(['surge', 'recovery 6 s']);
    for (const zone of zones) expect(zone.tinted).toBeGreaterThan(0.3);
    expect(markers).toHaveLength(2);
    for (const marker of markers) expect(marker.inked).toBeGreaterThan(0.6);
  }, 60_000);

  test('a paired run: the head and base blocks drawn in their order beside the other charts', async () => {
    const { paired, comparison } = pairedCase();
    const opened = await open('paired', renderHtmlReport({ comparison, current: paired.head, baselines: [paired.base], paired }));
    // The timeline without the load (no load shape in these arms) and the histogram, then the overall and one step, each with its five charts and the paired blocks.
    expectDrawn(opened, 3 + 1 + 2 * 6);
    expect(opened.verdict).toContain('regression');
  }, 60_000);
});

interface AnswersDrawn {
  items: string[];
  /** Each full-height zone of the analysis's charts: the share of its middle column's plot pixels in its fill. */
  zones: Array<{ label: string; tinted: number }>;
  /** Each marker: the share of its column's plot pixels in its colour. */
  markers: Array<{ label: string; inked: number }>;
}

/** Reads the analysis section's answers and samples its charts' canvases where the zones and markers should be. */
async function answersDrawn(page: Page): Promise<AnswersDrawn> {
  return page.evaluate(() => {
    type Zone = { from: number; to: number; fill: string; label?: string; strip?: boolean };
    type Marker = { at: number; label: string; color: string };
    type Chart = {
      ctx: { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
      bbox: { left: number; top: number; width: number; height: number };
      valToPos(value: number, scale: string, canvasPixels: boolean): number;
      tailgateSpec: { zones?: Zone[]; markers?: Marker[] };
    };
    const page = globalThis as unknown as { tailgateCharts: Chart[]; document: { querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> } };
    const rgb = (color: string): number[] => {
      const hex = /^#([0-9a-f]{6})$/i.exec(color);
      if (hex) return [0, 2, 4].map((i) => parseInt((hex[1] as string).slice(i, i + 2), 16));
      return (/rgba?\(([^)]+)\)/.exec(color)?.[1] ?? '').split(',').slice(0, 3).map(Number);
    };
    // The share of a column's plot pixels whose colour is `color` (the canvas keeps colours unpremultiplied).
    const share = (chart: Chart, x: number, color: string): number => {
      const column = chart.ctx.getImageData(Math.round(x), chart.bbox.top, 1, chart.bbox.height).data;
      const want = rgb(color);
      let hits = 0;
      for (let i = 0; i < column.length; i += 4) {
        if ((column[i + 3] as number) > 0 && want.every((v, c) => Math.abs((column[i + c] as number) - v) <= 16)) hits++;
      }
      return hits / (column.length / 4);
    };
    const zones: Array<{ label: string; tinted: number }> = [];
    const markers: Array<{ label: string; inked: number }> = [];
    for (const chart of page.tailgateCharts) {
      for (const zone of chart.tailgateSpec.zones ?? []) {
        if (zone.strip) continue;
        const x = chart.valToPos((zone.from + zone.to) / 2, 'x', true);
        zones.push({ label: zone.label ?? '', tinted: share(chart, x, zone.fill) });
      }
      for (const marker of chart.tailgateSpec.markers ?? []) {
        const x = Math.round(chart.valToPos(marker.at, 'x', true));
        markers.push({ label: marker.label, inked: Math.max(share(chart, x, marker.color), share(chart, x + 1, marker.color)) });
      }
    }
    const items = Array.from(page.document.querySelectorAll('#analysis .answers li'), (li) => li.textContent ?? '');
    return { items, zones, markers };
  });
}

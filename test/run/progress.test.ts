import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Progress } from '../../src/engine/engine.js';
import { formatProgressLine, progressBar, RateSmoother, startProgress, useColour, type ProgressView } from '../../src/run/progress.js';

const view = (over: Partial<ProgressView> = {}): ProgressView => ({
  elapsedMs: 12_300,
  plannedMs: 30_000,
  phase: 'measuring',
  rps: 100.4,
  p95Ms: 12.44,
  activeVUs: 12,
  totalRequests: 2000,
  totalErrors: 10,
  droppedIterations: 0,
  ...over,
});

// Visible width: escape sequences take no column.
const visible = (line: string): string => line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');

describe('progress lines', () => {
  it('show elapsed, the smoothed rate, p95, errors and VUs', () => {
    expect(formatProgressLine(view())).toBe('12s/30s  100 rps  p95 12.4 ms  errors 10 (0.5%)  VUs 12');
  });

  it('name the phase outside the measured period and dropped iterations when there are some', () => {
    expect(formatProgressLine(view({ elapsedMs: 1500, phase: 'warmup', droppedIterations: 3, rps: undefined, p95Ms: undefined }))).toBe(
      '1.5s/30s  (warmup)  - rps  p95 -  errors 10 (0.5%)  VUs 12  dropped 3',
    );
  });

  it('draw a bar of the planned run', () => {
    expect(progressBar(view({ elapsedMs: 15_000 }), 10)).toBe('[#####-----]');
    expect(progressBar(view({ elapsedMs: 45_000 }), 10)).toBe('[##########]');
  });

  it.each([200, 120, 80, 60, 50, 40, 30, 20, 10])('stay narrower than a terminal of %i columns, bar and colour included', (width) => {
    const busy = view({ elapsedMs: 123_000, plannedMs: 600_000, phase: 'finishing', rps: 12345.6, p95Ms: 1234.56, totalErrors: 123_456, totalRequests: 999_999, activeVUs: 9999, droppedIterations: 77_777 });
    const line = formatProgressLine(busy, { width, bar: true, colour: true });
    expect(visible(line).length).toBeLessThan(width);
    expect(visible(line)).toMatch(/^(\[[#-]+\] )?123s/);
  });

  it('keep what matters most on narrow terminals: the bar shrinks and goes first, then VUs, then errors', () => {
    expect(formatProgressLine(view(), { width: 70, bar: true })).toBe('[#####------] 12s/30s  100 rps  p95 12.4 ms  errors 10 (0.5%)  VUs 12');
    expect(formatProgressLine(view(), { width: 60, bar: true })).toBe('12s/30s  100 rps  p95 12.4 ms  errors 10 (0.5%)  VUs 12');
    expect(formatProgressLine(view(), { width: 50, bar: true })).toBe('12s/30s  100 rps  p95 12.4 ms  errors 10 (0.5%)');
    expect(formatProgressLine(view(), { width: 40, bar: true })).toBe('12s/30s  100 rps  p95 12.4 ms');
    expect(formatProgressLine(view(), { width: 120, bar: true })).toBe('[##########--------------] 12s/30s  100 rps  p95 12.4 ms  errors 10 (0.5%)  VUs 12');
  });

  it('colour errors and dropped iterations only when asked', () => {
    const line = formatProgressLine(view({ droppedIterations: 2 }), { colour: true });
    expect(line).toContain('\x1b[31merrors 10 (0.5%)\x1b[39m');
    expect(line).toContain('\x1b[33mdropped 2\x1b[39m');
    expect(formatProgressLine(view({ droppedIterations: 2 }), { colour: false })).not.toContain('\x1b[');
    expect(formatProgressLine(view({ totalErrors: 0 }), { colour: true })).not.toContain('\x1b[');
  });
});

describe('colour', () => {
  it.each([
    [{}, true, true],
    [{}, false, false],
    [{ NO_COLOR: '1' }, true, false],
    [{ NO_COLOR: '' }, true, true],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '' }, false, true],
    [{ FORCE_COLOR: '0' }, true, false],
    [{ FORCE_COLOR: 'false' }, true, false],
    [{ FORCE_COLOR: '3', NO_COLOR: '1' }, false, true],
  ])('env %j on a terminal %s: colour %s', (env, tty, expected) => {
    expect(useColour(env, tty)).toBe(expected);
  });
});

describe('the request rate', () => {
  it('is an exponential moving average of 1 s samples: a lone spike moves it by a third, a steady change takes it over', () => {
    const smoother = new RateSmoother(0.3);
    expect(smoother.sample(0, 0)).toBeUndefined();
    expect(smoother.sample(100, 1000)).toBeCloseTo(100);
    expect(smoother.sample(200, 2000)).toBeCloseTo(100);
    expect(smoother.sample(600, 3000)).toBeCloseTo(0.3 * 400 + 0.7 * 100); // one second of 400
    expect(smoother.sample(700, 4000)).toBeCloseTo(0.3 * 100 + 0.7 * 190);
    let rate = 0;
    for (let t = 5; t < 25; t++) rate = smoother.sample(700 + (t - 4) * 300, t * 1000) ?? 0;
    expect(rate).toBeCloseTo(300, 0);
  });

  it('counts a late sample over its real length', () => {
    const smoother = new RateSmoother(0.3);
    smoother.sample(0, 0);
    expect(smoother.sample(150, 1500)).toBeCloseTo(100);
  });
});

describe('live progress on a stream', () => {
  const progress = (over: Partial<Progress> = {}): Progress => ({
    elapsedMs: 0,
    plannedMs: 10_000,
    phase: 'measuring',
    activeVUs: 4,
    totalRequests: 0,
    totalErrors: 1,
    droppedIterations: 0,
    window: { requests: 10, errors: 1, p95Ms: 3.2 },
    ...over,
  });

  // The reporter's timers and clock are faked: `ms` of a run pass at once, each tick where it falls.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function run(stream: PassThrough, options: Parameters<typeof startProgress>[2], ms: number): Promise<{ text: string; polls: number }> {
    let text = '';
    stream.on('data', (c: Buffer) => (text += c.toString()));
    let polls = 0;
    const started = performance.now();
    const reporter = startProgress(
      () => {
        polls++;
        const elapsedMs = performance.now() - started;
        return progress({ elapsedMs, totalRequests: Math.round(elapsedMs / 10) });
      },
      stream,
      options,
    );
    await vi.advanceTimersByTimeAsync(ms);
    reporter.stop();
    // What the stream was given reaches its reader on a later turn.
    await new Promise((resolve) => setImmediate(resolve));
    return { text, polls };
  }

  it('on a 60-column terminal: redrawn in place, never as wide as the terminal, no colour under NO_COLOR, the engine sampled once a second', async () => {
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 60 });
    const { text, polls } = await run(stream, { tty: true, env: { NO_COLOR: '1' } }, 2300);
    const frames = text.split('\r\x1b[2K').filter(Boolean);
    expect(frames.length).toBeGreaterThanOrEqual(3);
    expect(polls).toBeGreaterThanOrEqual(1);
    expect(polls).toBeLessThanOrEqual(3);
    for (const frame of frames) {
      expect(frame).not.toContain('\n');
      expect(frame).not.toContain('\x1b[3');
      expect(frame.length).toBeLessThan(60);
    }
    expect(frames.at(-1)).toMatch(/rps/);
    expect(text.endsWith('\r\x1b[2K')).toBe(true);
  });

  it('in a log: a plain line every plainEveryMs, colour only with FORCE_COLOR', async () => {
    const plain = await run(new PassThrough(), { tty: false, env: {}, plainEveryMs: 1000 }, 2300);
    const lines = plain.text.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines.length).toBeLessThanOrEqual(2);
    for (const line of lines) expect(line).toMatch(/^tailgate: \d+\.\ds\/10s {2}\d+ rps {2}p95 3\.2 ms {2}errors 1 \(\d+\.\d%\) {2}VUs 4$/);
    const forced = await run(new PassThrough(), { tty: false, env: { FORCE_COLOR: '1' }, plainEveryMs: 1000 }, 1300);
    expect(forced.text).toContain('\x1b[31merrors 1');
  });
});

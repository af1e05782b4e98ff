import type { Progress } from '../engine/engine.js';

/**
 * Live progress on stderr while a run goes: on a terminal one line redrawn in place, fitted to
 * the terminal's width, coloured unless told not to; in CI logs a plain line every few seconds.
 * The request rate is smoothed (an exponential moving average of 1 s samples), so the number
 * can be read while it changes.
 */

/** What one progress line shows. */
export interface ProgressView {
  elapsedMs: number;
  plannedMs: number;
  phase: Progress['phase'];
  /** Requests per second, smoothed; undefined before the first sample. */
  rps: number | undefined;
  /** p95 of the last sample's requests; undefined when it had none. */
  p95Ms: number | undefined;
  totalRequests: number;
  totalErrors: number;
  activeVUs: number;
  droppedIterations: number;
}

/**
 * An exponential moving average of the request rate over samples of the total request count.
 * `weight` is the newest sample's share (0.3: a step change shows 90% after about 6 samples).
 */
export class RateSmoother {
  private last: { total: number; atMs: number } | undefined;
  private average: number | undefined;

  constructor(private readonly weight = 0.3) {}

  /** Takes the total request count at `atMs`; returns the smoothed rate (undefined before two samples). */
  sample(totalRequests: number, atMs: number): number | undefined {
    const last = this.last;
    this.last = { total: totalRequests, atMs };
    if (!last || atMs <= last.atMs) return this.average;
    const rate = ((totalRequests - last.total) * 1000) / (atMs - last.atMs);
    this.average = this.average === undefined ? rate : this.weight * rate + (1 - this.weight) * this.average;
    return this.average;
  }
}

/**
 * Whether to colour: FORCE_COLOR set wins (`0` or `false` turn colour off, anything else on, as in
 * Node.js), then NO_COLOR set to anything but "" turns it off (no-color.org), else only on a terminal.
 */
export function useColour(env: Record<string, string | undefined>, isTty: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTty;
}

type Colour = 'red' | 'yellow' | 'dim' | 'none';
const SGR: Record<Exclude<Colour, 'none'>, [string, string]> = { red: ['\x1b[31m', '\x1b[39m'], yellow: ['\x1b[33m', '\x1b[39m'], dim: ['\x1b[2m', '\x1b[22m'] };

interface Part {
  text: string;
  /** Lower is kept longer when the line must shrink. */
  priority: number;
  colour: Colour;
}

function parts(view: ProgressView): Part[] {
  const errorPct = view.totalRequests > 0 ? (view.totalErrors / view.totalRequests) * 100 : 0;
  const list: Array<Part | undefined> = [
    { text: `${seconds(view.elapsedMs)}/${seconds(view.plannedMs)}`, priority: 0, colour: 'none' },
    view.phase === 'measuring' ? undefined : { text: `(${view.phase})`, priority: 2, colour: 'dim' },
    { text: `${view.rps === undefined ? '-' : view.rps.toFixed(0)} rps`, priority: 1, colour: 'none' },
    { text: `p95 ${view.p95Ms === undefined ? '-' : `${view.p95Ms.toFixed(1)} ms`}`, priority: 1, colour: 'none' },
    { text: `errors ${view.totalErrors} (${errorPct.toFixed(1)}%)`, priority: 3, colour: view.totalErrors > 0 ? 'red' : 'none' },
    { text: `VUs ${view.activeVUs}`, priority: 5, colour: 'none' },
    view.droppedIterations > 0 ? { text: `dropped ${view.droppedIterations}`, priority: 4, colour: 'yellow' } : undefined,
  ];
  return list.filter((p): p is Part => p !== undefined);
}

const SEPARATOR = '  ';
const BAR_WIDTH = 24;
const MIN_BAR_WIDTH = 8;

/**
 * One progress line. With `width` (a terminal's columns) it stays shorter than the width, so it
 * never wraps: the bar shrinks or goes first, then the least needed parts, then it is cut.
 */
export function formatProgressLine(view: ProgressView, options: { width?: number; colour?: boolean; bar?: boolean } = {}): string {
  const kept = parts(view);
  // One column is left free: a line as wide as the terminal wraps on some of them.
  const room = options.width === undefined ? Infinity : Math.max(1, options.width - 1);
  const length = (list: Part[]): number => list.reduce((sum, p, i) => sum + p.text.length + (i > 0 ? SEPARATOR.length : 0), 0);
  while (kept.length > 1 && length(kept) > room) {
    const drop = kept.reduce((worst, p, i) => (p.priority >= (kept[worst] as Part).priority ? i : worst), 0);
    kept.splice(drop, 1);
  }
  let text = kept.map((p) => paint(p.text, p.colour, options.colour === true)).join(SEPARATOR);
  if (length(kept) > room) text = kept.map((p) => p.text).join(SEPARATOR).slice(0, room);
  if (!options.bar) return text;
  const spare = room - length(kept) - 3; // the brackets and a space
  const barWidth = Math.min(BAR_WIDTH, spare);
  return barWidth >= MIN_BAR_WIDTH ? `${progressBar(view, barWidth)} ${text}` : text;
}

/** A bar for terminals: how much of the planned run is done. */
export function progressBar(progress: Pick<Progress, 'elapsedMs' | 'plannedMs'>, width = BAR_WIDTH): string {
  const done = progress.plannedMs > 0 ? Math.min(1, progress.elapsedMs / progress.plannedMs) : 1;
  const filled = Math.round(done * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

function paint(text: string, colour: Colour, enabled: boolean): string {
  if (!enabled || colour === 'none') return text;
  const [on, off] = SGR[colour];
  return `${on}${text}${off}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
}

export interface ProgressReporter {
  stop(): void;
}

export interface ProgressOptions {
  tty: boolean;
  /** The environment, for NO_COLOR and FORCE_COLOR. */
  env?: Record<string, string | undefined>;
  /** A plain line this often when not on a terminal (default 5 s). */
  plainEveryMs?: number;
  /** How often the engine is sampled for the rate and p95 (default 1 s). */
  sampleEveryMs?: number;
}

/**
 * Polls the run once per sample (each poll takes the engine's live window) and draws: on a
 * terminal every 250 ms, the elapsed time moving between samples, the line fitted to
 * `stream.columns` as it is now (a resized terminal is followed); otherwise a plain line every
 * `plainEveryMs`.
 */
export function startProgress(poll: () => Progress, stream: NodeJS.WriteStream | NodeJS.WritableStream, options: ProgressOptions): ProgressReporter {
  const sampleEveryMs = options.sampleEveryMs ?? 1000;
  const plainEveryMs = options.plainEveryMs ?? 5000;
  const colour = useColour(options.env ?? {}, options.tty);
  const smoother = new RateSmoother();
  const startedAt = performance.now();
  smoother.sample(0, startedAt);
  let sample: { progress: Progress; atMs: number; rps: number | undefined } | undefined;
  let lastPlainAt = startedAt;

  const take = (now: number): void => {
    const progress = poll();
    sample = { progress, atMs: now, rps: smoother.sample(progress.totalRequests, now) };
  };
  const view = (now: number): ProgressView | undefined => {
    if (!sample) return undefined;
    const p = sample.progress;
    return {
      elapsedMs: p.elapsedMs + (now - sample.atMs),
      plannedMs: p.plannedMs,
      phase: p.phase,
      rps: sample.rps,
      p95Ms: p.window.requests > 0 ? p.window.p95Ms : undefined,
      totalRequests: p.totalRequests,
      totalErrors: p.totalErrors,
      activeVUs: p.activeVUs,
      droppedIterations: p.droppedIterations,
    };
  };

  const timer = setInterval(
    () => {
      const now = performance.now();
      if (!sample || now - sample.atMs >= sampleEveryMs - 5) take(now);
      const current = view(now);
      if (!current) return;
      if (options.tty) {
        const columns = (stream as Partial<NodeJS.WriteStream>).columns;
        stream.write(`\r\x1b[2K${formatProgressLine(current, { ...(columns ? { width: columns } : {}), colour, bar: true })}`);
      } else if (now - lastPlainAt >= plainEveryMs - 5) {
        lastPlainAt = now;
        stream.write(`tailgate: ${formatProgressLine(current, { colour })}\n`);
      }
    },
    options.tty ? 250 : Math.min(sampleEveryMs, plainEveryMs),
  );
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      if (options.tty) stream.write('\r\x1b[2K');
    },
  };
}

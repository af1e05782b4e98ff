import type { Progress } from '../engine/engine.js';

/** One progress line: elapsed, phase, rate over the last window, p95, errors, VUs. */
export function formatProgress(progress: Progress, windowMs: number): string {
  const rps = windowMs > 0 ? progress.window.requests / (windowMs / 1000) : 0;
  const errorPct = progress.totalRequests > 0 ? (progress.totalErrors / progress.totalRequests) * 100 : 0;
  const parts = [
    `${seconds(progress.elapsedMs)}/${seconds(progress.plannedMs)}`,
    progress.phase === 'measuring' ? '' : `(${progress.phase})`,
    `${rps.toFixed(0)} rps`,
    `p95 ${progress.window.requests > 0 ? `${progress.window.p95Ms.toFixed(1)} ms` : '-'}`,
    `errors ${progress.totalErrors} (${errorPct.toFixed(1)}%)`,
    `VUs ${progress.activeVUs}`,
    progress.droppedIterations > 0 ? `dropped ${progress.droppedIterations}` : '',
  ];
  return parts.filter(Boolean).join('  ');
}

/** A bar for terminals: how much of the planned run is done. */
export function progressBar(progress: Progress, width = 24): string {
  const done = progress.plannedMs > 0 ? Math.min(1, progress.elapsedMs / progress.plannedMs) : 1;
  const filled = Math.round(done * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
}

export interface ProgressReporter {
  stop(): void;
}

/**
 * Live progress on stderr while a run goes: a redrawn bar on a terminal, a plain line every
 * `plainEveryMs` otherwise (CI logs).
 */
export function startProgress(
  poll: () => Progress,
  stream: NodeJS.WriteStream | NodeJS.WritableStream,
  options: { tty: boolean; plainEveryMs?: number },
): ProgressReporter {
  const everyMs = options.tty ? 250 : (options.plainEveryMs ?? 5000);
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const line = formatProgress(poll(), now - last);
    last = now;
    if (options.tty) stream.write(`\r\x1b[2K${progressBar(poll())} ${line}`);
    else stream.write(`tailgate: ${line}\n`);
  }, everyMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      if (options.tty) stream.write('\r\x1b[2K');
    },
  };
}

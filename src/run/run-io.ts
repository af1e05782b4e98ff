import type { GeneratorReadings } from '../engine/self-monitor.js';
import type { Logger } from '../logging.js';

/** The outside world a run command needs; the CLI passes the real one, tests their own. */
export interface RunIo {
  env: Record<string, string | undefined>;
  logger: Logger;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream | NodeJS.WritableStream;
  isTty: boolean;
  /** The terminal's width when stdout is one; output is fitted to 100 columns otherwise. */
  columns?: number;
  /**
   * The generator's readings of itself (event loop, CPU, lateness) for each run; by default the
   * process's own. Tests pass fixed ones, so that a busy machine cannot decide a run's validity.
   */
  generatorReadings?: () => GeneratorReadings;
}

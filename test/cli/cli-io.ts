import { PassThrough } from 'node:stream';
import type { RunIo } from '../../src/run/run-io.js';
import { fixedReadings } from '../../src/engine/self-monitor.js';
import { recordingLogger } from '../../src/logging.js';

/**
 * An IO for `main()` that keeps what the CLI printed. Its runs read an idle generator whose
 * requests start on time, so a busy machine cannot make them invalid (and their verdicts
 * inconclusive); a test about the self-check passes its own `generatorReadings`.
 */
export function captureIo(env: Record<string, string | undefined> = {}): RunIo & { out: () => string; unwrapped: () => string; err: () => string; log: string[] } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const logger = recordingLogger();
  // A threshold's line wrapped to the terminal's width continues 9 spaces in: joined again here.
  const unwrapped = (): string => out.replace(/\n {9}(?=\S)/g, ' ');
  return { env, logger, stdout, stderr, isTty: false, generatorReadings: () => fixedReadings(), out: () => out, unwrapped, err: () => err, log: logger.lines };
}

import { PassThrough } from 'node:stream';
import type { RunIo } from '../../src/cli/run-command.js';
import { recordingLogger } from '../../src/logging.js';

/** An IO for `main()` that keeps what the CLI printed. */
export function captureIo(env: Record<string, string | undefined> = {}): RunIo & { out: () => string; err: () => string; log: string[] } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const logger = recordingLogger();
  return { env, logger, stdout, stderr, isTty: false, out: () => out, err: () => err, log: logger.lines };
}

import { Readable } from 'node:stream';
import { importRun, type ImportResult } from '../../src/import/import-run.js';
import type { ImportFormat } from '../../src/import/imported-line.js';

/** Imports text as a file would be (streamed, a fresh stream per pass). */
export function importText(text: string | Buffer, options: { from?: ImportFormat; warmupMs?: number; file?: string } = {}): Promise<ImportResult> {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  return importRun({
    file: options.file ?? 'results.txt',
    // In chunks of 4 KiB, so lines straddle chunks as they do in a file.
    open: () => Readable.from(chunks(bytes, 4096)),
    from: options.from,
    warmupMs: options.warmupMs,
    tailgateVersion: '0.0.0-test',
  });
}

function* chunks(bytes: Buffer, size: number): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

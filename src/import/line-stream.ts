import { createInterface } from 'node:readline';
import { Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** No line of k6's or JMeter's results comes near this; a file with one is not theirs. */
export const MAX_LINE_BYTES = 1024 * 1024;

export class LineTooLongError extends Error {
  readonly code = 'LINE_TOO_LONG';
}

/** Opens the results file anew for each pass: the CLI opens a file, tests pass text. */
export type OpenStream = () => Readable;

/** What a pass over the file saw of its end: a file cut mid-line ends without a newline. */
export interface StreamEnd {
  endedWithNewline: boolean;
  gzipped: boolean;
}

/** The first bytes of the file (at most `count`), to tell gzip and formats apart. */
export async function headBytes(open: OpenStream, count: number): Promise<Buffer> {
  const stream = open();
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      parts.push(buffer);
      size += buffer.length;
      if (size >= count) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, count);
}

export function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * The file's lines, one at a time (node:readline over the stream, so memory holds a chunk, never
 * the file), gunzipped first when `gzipped` (k6 writes `--out json=file.gz`). `end` is filled in
 * once the last line has been read.
 */
export async function* fileLines(open: OpenStream, gzipped: boolean, end: StreamEnd): AsyncGenerator<string> {
  let last = -1;
  // Bytes since the last newline: readline would hold a line of any length whole, so one too
  // long for these formats is refused before it is.
  let run = 0;
  const watch = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (chunk.length === 0) return done(null, chunk);
      last = chunk[chunk.length - 1] as number;
      for (let from = 0; ; ) {
        const newline = chunk.indexOf(10, from);
        run += (newline < 0 ? chunk.length : newline) - from;
        if (run > MAX_LINE_BYTES) return done(new LineTooLongError());
        if (newline < 0) break;
        run = 0;
        from = newline + 1;
      }
      done(null, chunk);
    },
  });
  const raw = open();
  const text = gzipped ? raw.pipe(createGunzip()) : raw;
  // Errors of the file or the gunzip reach the reader through `watch`, and so the loop below.
  const forward = (error: Error): void => {
    if (!watch.destroyed) watch.destroy(error);
  };
  raw.on('error', forward);
  if (text !== raw) text.on('error', forward);
  text.pipe(watch);
  const lines = createInterface({ input: watch, crlfDelay: Infinity });
  try {
    for await (const line of lines) yield line;
  } finally {
    // A reader that stops early (the first lines, for the format) leaves nothing running.
    lines.close();
    watch.destroy();
    text.destroy();
    raw.destroy();
  }
  end.endedWithNewline = last === 10;
  end.gzipped = gzipped;
}

import { formatByteSize, parseByteSize } from './byte-size.js';
import type { Problems } from './problems.js';

/** What a response body kept for a capture may weigh unless `defaults.maxCaptureBody` says otherwise. */
export const DEFAULT_CAPTURE_BODY_BYTES = 1024 ** 2;
/** The most `defaults.maxCaptureBody` may allow: every VU may hold one such body at once. */
export const MAX_CAPTURE_BODY_BYTES = 256 * 1024 ** 2;

/** `defaults.maxCaptureBody` in bytes (the schema has checked its form), with a problem when out of range. */
export function captureBodyLimit(value: string | number | undefined, problems: Problems): number {
  if (value === undefined) return DEFAULT_CAPTURE_BODY_BYTES;
  const field = ['defaults', 'maxCaptureBody'];
  const bytes = parseByteSize(value);
  if (bytes === undefined || bytes < 1) {
    problems.add(field, 'must be a size of at least 1 byte, such as 1MiB or 512KiB', 'write maxCaptureBody: 1MiB');
    return DEFAULT_CAPTURE_BODY_BYTES;
  }
  if (bytes > MAX_CAPTURE_BODY_BYTES) {
    problems.add(
      field,
      `allows ${formatByteSize(bytes)}; at most ${formatByteSize(MAX_CAPTURE_BODY_BYTES)} is allowed, since every virtual user may hold one such body at once`,
      `write maxCaptureBody: ${formatByteSize(MAX_CAPTURE_BODY_BYTES)} or less, or capture from a smaller response`,
    );
    return MAX_CAPTURE_BODY_BYTES;
  }
  return bytes;
}

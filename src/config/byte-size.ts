/**
 * Sizes in bytes written with a unit, as people write them: `1MiB`, `512KiB`, `2MB`, `1048576`.
 * KiB/MiB/GiB are powers of 1024, kB/KB/MB/GB powers of 1000, no unit (or B) is bytes.
 */

export const BYTE_SIZE_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*(B|kB|KB|KiB|MB|MiB|GB|GiB)?\\s*$';
export const BYTE_SIZE_ALLOWED = 'a size such as 1MiB, 512KiB, 10MB or a whole number of bytes';

const UNITS: Record<string, number> = { B: 1, kB: 1e3, KB: 1e3, KiB: 1024, MB: 1e6, MiB: 1024 ** 2, GB: 1e9, GiB: 1024 ** 3 };

/** Bytes of a size written as above, rounded down; undefined when it is not one. */
export function parseByteSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  const match = new RegExp(BYTE_SIZE_PATTERN).exec(value);
  if (!match) return undefined;
  const number = Number.parseFloat(value);
  return Math.floor(number * (UNITS[match[2] ?? 'B'] as number));
}

/** `1048576` -> `1MiB`, `1536` -> `1.5KiB`, `100` -> `100B`. */
export function formatByteSize(bytes: number): string {
  for (const [unit, size] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(2))}${unit}`;
  }
  return `${bytes}B`;
}

import { inflateRawSync } from 'node:zlib';

/**
 * The zip archive a workflow artifact is stored as, read with limits: an artifact from another
 * run (a fork's) is untrusted, and a few kilobytes of zip can inflate to gigabytes. Only the
 * central directory is believed for where entries are; no entry is inflated past `maxFileBytes`
 * (the inflater stops there, whatever the archive claims), and all of them together stop at
 * `maxTotalBytes`. Only files at the archive's top level whose names `wanted` accepts are read;
 * folders (even one named `x.json/`) and nested paths are skipped.
 */

export interface ZipLimits {
  maxFileBytes: number;
  maxTotalBytes: number;
  /** Entries of the central directory looked at, at most. */
  maxEntries: number;
}

export interface ZipFile {
  name: string;
  data: Buffer;
}

/** Why an archive was refused, in words for a warning. */
export class ZipRefused extends Error {}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

/** Whether `bytes` start like a zip archive (a local header, or the end record of an empty one). */
export function looksLikeZip(bytes: Buffer): boolean {
  return bytes.length >= 4 && (bytes.readUInt32LE(0) === LOCAL_HEADER || bytes.readUInt32LE(0) === END_OF_DIRECTORY);
}

export function readZipFiles(zip: Buffer, wanted: (name: string) => boolean, limits: ZipLimits): ZipFile[] {
  const end = findEndOfDirectory(zip);
  const count = zip.readUInt16LE(end + 10);
  const directorySize = zip.readUInt32LE(end + 12);
  const directoryOffset = zip.readUInt32LE(end + 16);
  if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) throw new ZipRefused('it is a zip64 archive, which a report never needs');
  if (count > limits.maxEntries) throw new ZipRefused(`it holds ${count} entries, more than the ${limits.maxEntries} read`);
  if (directoryOffset + directorySize > end) throw new ZipRefused('its zip directory is damaged');

  const files: ZipFile[] = [];
  let total = 0;
  let at = directoryOffset;
  for (let index = 0; index < count; index++) {
    if (at + 46 > end || zip.readUInt32LE(at) !== DIRECTORY_ENTRY) throw new ZipRefused('its zip directory is damaged');
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const declaredSize = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localOffset = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;

    if (name.endsWith('/') || name.includes('/') || name.includes('\\') || !wanted(name)) continue;
    if ((flags & 1) !== 0) throw new ZipRefused(`${shown(name)} is encrypted`);
    if (declaredSize > limits.maxFileBytes) throw new ZipRefused(`${shown(name)} is larger than ${mib(limits.maxFileBytes)}`);
    const data = entryData(zip, localOffset, compressedSize, end);
    const budget = Math.min(limits.maxFileBytes, limits.maxTotalBytes - total);
    const content = inflate(name, method, data, budget, limits);
    total += content.length;
    files.push({ name, data: content });
  }
  return files;
}

function findEndOfDirectory(zip: Buffer): number {
  // The end record is 22 bytes plus a comment of at most 65,535.
  const earliest = Math.max(0, zip.length - 22 - 0xffff);
  for (let at = zip.length - 22; at >= earliest; at--) if (zip.readUInt32LE(at) === END_OF_DIRECTORY) return at;
  throw new ZipRefused('it is not a zip archive');
}

function entryData(zip: Buffer, localOffset: number, compressedSize: number, end: number): Buffer {
  if (localOffset + 30 > end || zip.readUInt32LE(localOffset) !== LOCAL_HEADER) throw new ZipRefused('an entry of its zip directory points nowhere');
  const start = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
  if (start + compressedSize > end) throw new ZipRefused('an entry runs past the end of the archive');
  return zip.subarray(start, start + compressedSize);
}

function inflate(name: string, method: number, data: Buffer, budget: number, limits: ZipLimits): Buffer {
  const tooLarge = (): ZipRefused =>
    new ZipRefused(budget < limits.maxFileBytes ? `its files together are larger than ${mib(limits.maxTotalBytes)}` : `${shown(name)} is larger than ${mib(limits.maxFileBytes)}`);
  if (method === STORED) {
    if (data.length > budget) throw tooLarge();
    return data;
  }
  if (method !== DEFLATED) throw new ZipRefused(`${shown(name)} is compressed in a way tailgate does not read (method ${method})`);
  try {
    // The inflater itself stops at the budget: nothing past it is ever held in memory.
    return inflateRawSync(data, { maxOutputLength: Math.max(1, budget) });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) throw tooLarge();
    throw new ZipRefused(`${shown(name)} is damaged (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** An entry's name as written in a warning: quoted, and short. */
function shown(name: string): string {
  return JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
}

function mib(bytes: number): string {
  return `${Number((bytes / 2 ** 20).toFixed(2))} MiB`;
}

import { crc32, deflateRawSync } from 'node:zlib';

/**
 * Zip archives built byte by byte, as a workflow artifact is stored, so a test can hand the
 * Action any archive: files deflated or stored, folders (a name ending in `/`), and entries
 * whose compressed bytes are given as they are (a zip bomb's).
 */
export type ZipEntry =
  | { name: string; data: string | Buffer; store?: boolean }
  | { name: string; deflated: Buffer; size: number; crc: number }
  | { name: `${string}/` };

export function zipArchive(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    let method = 0;
    let body: Buffer = Buffer.alloc(0);
    let size = 0;
    let crc = 0;
    if ('deflated' in entry) {
      method = 8;
      body = entry.deflated;
      size = entry.size;
      crc = entry.crc;
    } else if ('data' in entry) {
      const data = Buffer.from(entry.data);
      size = data.length;
      crc = crc32(data);
      method = entry.store ? 0 : 8;
      body = entry.store ? data : deflateRawSync(data);
    }
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x031e, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE((entry.name.endsWith('/') ? 0o40755 : 0o100644) * 0x10000, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    directory.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directoryBytes = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directoryBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directoryBytes, end]);
}

/** A file of `size` spaces, deflated: about a thousandth of its size (a zip bomb's entry). */
export function deflatedSpaces(name: string, size: number): ZipEntry {
  const data = Buffer.alloc(size, 0x20);
  return { name, deflated: deflateRawSync(data, { level: 9 }), size, crc: crc32(data) };
}

import { createInflateRaw } from 'node:zlib';

/** Why a zip was refused: its entries inflate to more than the cap, or it is not a zip we read. */
export class ZipGuardError extends Error {
  constructor(
    readonly kind: 'too-large' | 'unreadable',
    detail: string,
  ) {
    super(detail);
  }
}

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  declaredSize: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The central directory (the end-of-central-directory record is in the last 64 KiB + 22 bytes). */
function entriesOf(zip: Buffer): Entry[] {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipGuardError('unreadable', 'not a zip archive (no central directory)');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || at === 0xffffffff) throw new ZipGuardError('unreadable', 'zip64 archives are not accepted');
  const entries: Entry[] = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL) throw new ZipGuardError('unreadable', 'damaged zip central directory');
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    entries.push({
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      declaredSize: zip.readUInt32LE(at + 24),
      localHeaderOffset: zip.readUInt32LE(at + 42),
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Inflates one entry into nothing, counting bytes; stops as soon as `budget` is passed. */
function inflatedSize(data: Buffer, budget: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const inflate = createInflateRaw();
    let total = 0;
    let done = false;
    const finish = (error: Error | null, value = total) => {
      if (done) return;
      done = true;
      inflate.destroy();
      if (error) reject(error);
      else resolve(value);
    };
    inflate.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > budget) finish(null, total); // the caller sees more than the budget and refuses
    });
    inflate.on('end', () => finish(null));
    inflate.on('error', (e) => finish(new ZipGuardError('unreadable', `damaged zip entry (${e.message})`)));
    inflate.end(data);
  });
}

/**
 * Refuses a zip (an .xlsx) that unpacks to more than `maxBytes` before any parser inflates it
 * (issue 8 item 10: a 4.4 MB file that inflates to 1.1 GB). First the sizes the archive
 * declares; then, because declarations can lie, every entry is really inflated into a byte
 * counter that stops the moment the running total passes the cap. Memory stays at one
 * zlib window; time is bounded by the cap, not by the bomb.
 */
export async function assertZipWithin(zip: Buffer, maxBytes: number): Promise<void> {
  const entries = entriesOf(zip);
  const declared = entries.reduce((sum, e) => sum + e.declaredSize, 0);
  if (declared > maxBytes) throw new ZipGuardError('too-large', `declares ${declared} bytes unpacked`);
  let total = 0;
  for (const e of entries) {
    const at = e.localHeaderOffset;
    if (at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL) throw new ZipGuardError('unreadable', 'damaged zip entry header');
    const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
    const data = zip.subarray(start, start + e.compressedSize);
    if (e.method === 0) total += data.length;
    else if (e.method === 8) total += await inflatedSize(data, maxBytes - total);
    else throw new ZipGuardError('unreadable', `unsupported zip compression method ${e.method}`);
    if (total > maxBytes) throw new ZipGuardError('too-large', `inflates past ${maxBytes} bytes`);
  }
}

/**
 * Content type from the bytes, never from the client's Content-Type or file name
 * (issue 3, Attachments). Accepts PDF, PNG, JPEG, OOXML (docx/xlsx/pptx) and legacy
 * Office (OLE2). Everything else, including a renamed executable or plain text, is refused.
 */
export interface SniffResult {
  contentType: string;
  /** the extension matching the content, for a download name that tells the truth */
  extension: string;
}

const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const startsWith = (buf: Buffer, sig: number[], offset = 0) =>
  buf.length >= offset + sig.length && sig.every((b, i) => buf[offset + i] === b);

/** Legacy Office shares OLE2 with .msi installers and more: only these extensions are taken. */
const LEGACY_OFFICE: Record<string, string> = {
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
};

/** Names of the entries in a ZIP's central directory, or undefined when it is not a readable ZIP. */
export function zipEntryNames(buf: Buffer): string[] | undefined {
  if (!startsWith(buf, [0x50, 0x4b, 0x03, 0x04])) return undefined;
  // End of central directory: 22 bytes plus a comment of up to 65535 bytes, at the end.
  const min = Math.max(0, buf.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const entries = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < entries; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) return undefined;
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    if (p + 46 + nameLength > buf.length) return undefined;
    names.push(buf.toString('utf8', p + 46, p + 46 + nameLength));
    p += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

export function sniffContentType(buf: Buffer, filename = ''): SniffResult | undefined {
  if (buf.length >= 5 && buf.toString('latin1', 0, 5) === '%PDF-') return { contentType: 'application/pdf', extension: 'pdf' };
  if (startsWith(buf, PNG)) return { contentType: 'image/png', extension: 'png' };
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return { contentType: 'image/jpeg', extension: 'jpg' };
  if (startsWith(buf, OLE2)) {
    const ext = filename.toLowerCase().split('.').pop() ?? '';
    return LEGACY_OFFICE[ext] ? { contentType: LEGACY_OFFICE[ext], extension: ext } : undefined;
  }
  const names = zipEntryNames(buf);
  if (names && names.includes('[Content_Types].xml')) {
    if (names.some((n) => n.startsWith('word/')))
      return { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extension: 'docx' };
    if (names.some((n) => n.startsWith('xl/')))
      return { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extension: 'xlsx' };
    if (names.some((n) => n.startsWith('ppt/')))
      return { contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', extension: 'pptx' };
  }
  return undefined;
}

/**
 * The same judgement for a file on disk, reading only its head and, for a ZIP, its end of
 * central directory and the central directory itself (issue 8 item 11: nothing reads the
 * whole file into memory). The directory is re-assembled behind a local-header signature
 * so that `sniffContentType` reads it as it would the whole file.
 */
export async function sniffFile(path: string, size: number, filename = ''): Promise<SniffResult | undefined> {
  const { open } = await import('node:fs/promises');
  const fh = await open(path, 'r');
  try {
    const read = async (position: number, length: number) => {
      const buf = Buffer.alloc(Math.max(0, Math.min(length, size - position)));
      if (buf.length) await fh.read(buf, 0, buf.length, position);
      return buf;
    };
    const head = await read(0, 16);
    if (!startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return sniffContentType(head, filename);
    const tailStart = Math.max(0, size - 22 - 0xffff);
    const tail = await read(tailStart, size - tailStart);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) return undefined;
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdSize > 16 * 1024 * 1024 || cdOffset + cdSize > size) return undefined;
    const cd = await read(cdOffset, cdSize);
    const end = Buffer.from(tail.subarray(eocd, eocd + 22));
    end.writeUInt32LE(4, 16);
    return sniffContentType(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), cd, end]), filename);
  } finally {
    await fh.close();
  }
}

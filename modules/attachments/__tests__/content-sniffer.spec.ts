import { crc32 } from 'node:zlib';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sniffContentType, sniffFile } from '../content-sniffer';

const CT = (main: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
  `<Default Extension="xml" ContentType="application/xml"/><Override PartName="/x" ContentType="${main}"/></Types>`;
const DOCX_MAIN = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';
const XLSX_MAIN = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml';
const PPTX_MAIN = 'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml';
const DOCM_MAIN = 'application/vnd.ms-word.document.macroEnabled.main+xml';

/** A stored (uncompressed) ZIP of the given entries, in the given order. */
function zip(entries: Array<[string, string]>): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [n, content] of entries) {
    const name = Buffer.from(n);
    const data = Buffer.from(content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    parts.push(local, name, data);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt32LE(crc32(data), 16);
    c.writeUInt32LE(data.length, 20);
    c.writeUInt32LE(data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, name);
    offset += 30 + name.length + data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, end]);
}

describe('content sniffer (attachments, file-type)', () => {
  it('recognises PDF, PNG, JPEG by their magic numbers', async () => {
    expect((await sniffContentType(Buffer.from('%PDF-1.7\n')))?.contentType).toBe('application/pdf');
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('\0\0\0\rIHDR'), Buffer.alloc(20)]);
    expect((await sniffContentType(png))?.contentType).toBe('image/png');
    expect((await sniffContentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0])))?.contentType).toBe('image/jpeg');
  });

  it('refuses a PNG signature followed by garbage instead of an IHDR chunk (the library checks the first chunk)', async () => {
    expect(await sniffContentType(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32)]))).toBeUndefined();
  });

  it('tells docx, xlsx and pptx apart by the main part declared in [Content_Types].xml', async () => {
    expect((await sniffContentType(zip([['[Content_Types].xml', CT(DOCX_MAIN)], ['word/document.xml', '<w/>']])))?.extension).toBe('docx');
    expect((await sniffContentType(zip([['[Content_Types].xml', CT(XLSX_MAIN)], ['xl/workbook.xml', '<x/>']])))?.extension).toBe('xlsx');
    expect((await sniffContentType(zip([['[Content_Types].xml', CT(PPTX_MAIN)], ['ppt/presentation.xml', '<p/>']])))?.extension).toBe('pptx');
    // producers may put [Content_Types].xml after the parts
    expect((await sniffContentType(zip([['word/document.xml', '<w/>'], ['[Content_Types].xml', CT(DOCX_MAIN)]])))?.extension).toBe('docx');
  });

  it('refuses a plain ZIP, a ZIP without [Content_Types].xml and one whose content types name no Office main part', async () => {
    expect(await sniffContentType(zip([['readme.txt', 'hello']]))).toBeUndefined();
    expect(await sniffContentType(zip([['word/document.xml', '<w/>']]))).toBeUndefined(); // no [Content_Types].xml
    expect(await sniffContentType(zip([['[Content_Types].xml', CT('application/xml')], ['META-INF/x', 'x']]))).toBeUndefined();
  });

  it('refuses macro-enabled OOXML (docm), which the library tells apart from docx', async () => {
    expect(await sniffContentType(zip([['[Content_Types].xml', CT(DOCM_MAIN)], ['word/document.xml', '<w/>']]), '方案.docx')).toBeUndefined();
  });

  it('takes OLE2 only as a legacy Office extension', async () => {
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
    expect((await sniffContentType(ole, '方案.xls'))?.contentType).toBe('application/vnd.ms-excel');
    expect((await sniffContentType(ole, '方案.doc'))?.contentType).toBe('application/msword');
    expect(await sniffContentType(ole, 'setup.msi')).toBeUndefined();
  });

  it('refuses executables, text, truncated ZIPs and empty files', async () => {
    expect(await sniffContentType(Buffer.from('MZ\x90\x00'), 'x.pdf')).toBeUndefined();
    expect(await sniffContentType(Buffer.from('#!/bin/sh\n'), 'x.pdf')).toBeUndefined();
    expect(await sniffContentType(Buffer.from('PK\x03\x04garbage'))).toBeUndefined();
    expect(await sniffContentType(Buffer.alloc(0))).toBeUndefined();
  });

  it('judges a file on disk the same way as its bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sniff-'));
    const docx = zip([['[Content_Types].xml', CT(DOCX_MAIN)], ['word/document.xml', '<w/>']]);
    writeFileSync(join(dir, 'a.docx'), docx);
    writeFileSync(join(dir, 'b.zip'), zip([['readme.txt', 'hello']]));
    expect((await sniffFile(join(dir, 'a.docx'), docx.length, 'a.docx'))?.extension).toBe('docx');
    expect(await sniffFile(join(dir, 'b.zip'), 100, 'b.docx')).toBeUndefined();
    rmSync(dir, { recursive: true, force: true });
  });
});

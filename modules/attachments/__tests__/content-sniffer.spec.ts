import { crc32 } from 'node:zlib';
import { sniffContentType } from '../content-sniffer';
import { signV4 } from '../storage/sigv4';

function zip(names: string[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const n of names) {
    const name = Buffer.from(n);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt32LE(crc32(Buffer.alloc(0)), 14);
    local.writeUInt16LE(name.length, 26);
    parts.push(local, name);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, name);
    offset += 30 + name.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(names.length, 8);
  end.writeUInt16LE(names.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, end]);
}

describe('content sniffer (attachments)', () => {
  it('recognises PDF, PNG, JPEG by their magic numbers', () => {
    expect(sniffContentType(Buffer.from('%PDF-1.7\n'))?.contentType).toBe('application/pdf');
    expect(sniffContentType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))?.contentType).toBe('image/png');
    expect(sniffContentType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0]))?.contentType).toBe('image/jpeg');
  });

  it('tells docx, xlsx and pptx apart by the parts inside the ZIP', () => {
    expect(sniffContentType(zip(['[Content_Types].xml', 'word/document.xml']))?.extension).toBe('docx');
    expect(sniffContentType(zip(['[Content_Types].xml', 'xl/workbook.xml']))?.extension).toBe('xlsx');
    expect(sniffContentType(zip(['[Content_Types].xml', 'ppt/presentation.xml']))?.extension).toBe('pptx');
    expect(sniffContentType(zip(['word/document.xml']))).toBeUndefined(); // no [Content_Types].xml
    expect(sniffContentType(zip(['[Content_Types].xml', 'META-INF/x']))).toBeUndefined();
  });

  it('takes OLE2 only as a legacy Office extension', () => {
    const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]);
    expect(sniffContentType(ole, '方案.xls')?.contentType).toBe('application/vnd.ms-excel');
    expect(sniffContentType(ole, 'setup.msi')).toBeUndefined();
  });

  it('refuses executables, text and truncated ZIPs', () => {
    expect(sniffContentType(Buffer.from('MZ\x90\x00'), 'x.pdf')).toBeUndefined();
    expect(sniffContentType(Buffer.from('#!/bin/sh\n'), 'x.pdf')).toBeUndefined();
    expect(sniffContentType(Buffer.from('PK\x03\x04garbage'))).toBeUndefined();
    expect(sniffContentType(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('AWS SigV4 (S3-compatible storage)', () => {
  it('reproduces the AWS documentation example "GET Object"', () => {
    const headers = signV4(
      {
        method: 'GET',
        url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'),
        headers: { range: 'bytes=0-9' },
        payloadHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      },
      { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', region: 'us-east-1' },
      new Date('2013-05-24T00:00:00Z'),
    );
    expect(headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
  });
});

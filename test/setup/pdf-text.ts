import { inflateSync } from 'node:zlib';

/**
 * The text a reader would copy out of a PDF written by pdfkit, without a native tool: streams
 * inflated, each embedded font's ToUnicode CMap read, and the glyph codes of every `Tj`/`TJ`
 * mapped back to Unicode in the order they are drawn (one line per text run). Enough for
 * pdfkit's own output (Identity-H CID fonts, document-wide font names); not a general parser.
 */
export function pdfText(pdf: Buffer): string {
  const src = pdf.toString('latin1'); // one char per byte: offsets in src are offsets in pdf
  const dicts = new Map<number, string>();
  const streams = new Map<number, string>();
  // Objects are found through the cross-reference table, never by searching the file: compressed
  // streams are arbitrary bytes and now and then contain "7 0 obj" or "endobj" themselves.
  const xrefAt = Number(/startxref\s+(\d+)/.exec(src.slice(src.lastIndexOf('startxref')))![1]);
  const xref = /^xref\s+0\s+(\d+)\s+/.exec(src.slice(xrefAt))!;
  const offsets: { id: number; at: number }[] = [];
  for (let id = 1, n = Number(xref[1]); id < n; id++) {
    const entry = src.slice(xrefAt + xref[0].length + id * 20, xrefAt + xref[0].length + id * 20 + 20);
    if (entry[17] === 'n') offsets.push({ id, at: Number(entry.slice(0, 10)) });
  }
  const ends = [...offsets.map((o) => o.at), xrefAt].sort((a, b) => a - b);
  for (const { id, at } of offsets) {
    const body = src.slice(at, ends[ends.indexOf(at) + 1]);
    const header = /^\d+ 0 obj\b/.exec(body)!;
    const streamAt = body.indexOf('stream');
    const endAt = body.indexOf('endobj');
    if (streamAt < 0 || (endAt >= 0 && endAt < streamAt)) {
      dicts.set(id, body.slice(header[0].length, endAt < 0 ? undefined : endAt));
      continue;
    }
    const dict = body.slice(header[0].length, streamAt);
    dicts.set(id, dict);
    let start = at + streamAt + 'stream'.length;
    if (src[start] === '\r') start++;
    if (src[start] === '\n') start++;
    const length = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dict);
    let raw = pdf.subarray(start, length ? start + Number(length[1]) : src.indexOf('endstream', start));
    if (/\/FlateDecode/.test(dict)) {
      try {
        raw = inflateSync(raw, { finishFlush: 2 /* Z_SYNC_FLUSH: tolerate a trailing newline */ });
      } catch {
        continue; // a font program or image we have no use for
      }
    }
    streams.set(id, raw.toString('latin1'));
  }
  // a ligature's glyph maps to several characters, written with spaces: <0066 0069> is "fi"
  const utf16 = (spaced: string) => {
    const hex = spaced.replace(/\s+/g, '');
    return Buffer.from(hex.length % 4 ? `00${hex}` : hex, 'hex').swap16().toString('utf16le');
  };
  const cmapOf = (text: string): Map<number, string> => {
    const map = new Map<number, string>();
    for (const block of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
      for (const r of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g)) {
        const from = parseInt(r[1], 16);
        const to = parseInt(r[2], 16);
        if (r[3].startsWith('[')) [...r[3].matchAll(/<([0-9a-fA-F\s]+)>/g)].forEach((u, i) => map.set(from + i, utf16(u[1])));
        else for (let c = from, base = parseInt(r[3].slice(1, -1), 16); c <= to; c++) map.set(c, String.fromCodePoint(base + c - from));
      }
    }
    for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
      for (const r of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F\s]+)>/g)) map.set(parseInt(r[1], 16), utf16(r[2]));
    }
    return map;
  };
  // font resource name (F1, F2 …) → its ToUnicode map
  const fonts = new Map<string, Map<number, string>>();
  for (const dict of dicts.values()) {
    for (const entry of dict.matchAll(/\/(F\d+)\s+(\d+) 0 R/g)) {
      const font = dicts.get(Number(entry[2])) ?? '';
      const toUnicode = /\/ToUnicode\s+(\d+) 0 R/.exec(font);
      if (toUnicode && streams.has(Number(toUnicode[1]))) fonts.set(entry[1], cmapOf(streams.get(Number(toUnicode[1]))!));
    }
  }
  const lines: string[] = [];
  for (const content of streams.values()) {
    if (!/\bTf\b/.test(content)) continue;
    let cmap = new Map<number, string>();
    const ops = /\/(F\d+)\s+[\d.]+\s+Tf|\[((?:[^\]\\]|\\.)*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g;
    for (let op = ops.exec(content); op; op = ops.exec(content)) {
      if (op[1]) {
        cmap = fonts.get(op[1]) ?? new Map();
        continue;
      }
      const hexes = op[2] !== undefined ? [...op[2].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]) : [op[3]];
      let line = '';
      for (const hex of hexes) for (let i = 0; i + 4 <= hex.length; i += 4) line += cmap.get(parseInt(hex.slice(i, i + 4), 16)) ?? '\uFFFD';
      lines.push(line);
    }
  }
  return lines.join('\n');
}

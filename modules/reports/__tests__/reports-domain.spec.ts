import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DownloadLinkSigner } from '../domain/download-link';
import { levelsFrom, reportStorageKey } from '../domain/report';
import { previousChinaMonth } from '../monthly-report.service';
import { ReportPdf } from '../render/report-pdf';
import { pdfText } from '../../../test/setup/pdf-text';

describe('reports domain', () => {
  const signer = new DownloadLinkSigner('x'.repeat(48));
  const now = new Date('2030-01-01T00:00:00Z');

  it('a signed link verifies until its expiry instant, then reads expired (not invalid)', () => {
    const token = signer.sign({ r: 'a', t: null, e: now.getTime() + 1000 });
    expect(signer.verify(token, new Date(now.getTime() + 999))).toMatchObject({ ok: true, claims: { r: 'a', t: null } });
    expect(signer.verify(token, new Date(now.getTime() + 1000))).toEqual({ ok: false, reason: 'expired' });
  });

  it('a link signed with another secret, altered claims or junk is invalid', () => {
    const token = signer.sign({ r: 'a', t: 'b', e: now.getTime() + 1000 });
    expect(new DownloadLinkSigner('y'.repeat(48)).verify(token, now)).toEqual({ ok: false, reason: 'invalid' });
    const [, mac] = token.split('.');
    const other = Buffer.from(JSON.stringify({ r: 'c', t: 'b', e: now.getTime() + 1000 })).toString('base64url');
    expect(signer.verify(`${other}.${mac}`, now)).toEqual({ ok: false, reason: 'invalid' });
    for (const junk of ['', '.', 'a.b.c', 'x'.repeat(600)]) expect(signer.verify(junk, now).ok).toBe(false);
  });

  it('the storage key depends on the report alone (a retry overwrites, never adds)', () => {
    expect(reportStorageKey('t1', 'r1', 'pdf')).toBe(reportStorageKey('t1', 'r1', 'pdf'));
    expect(reportStorageKey(null, 'r1', 'xlsx')).toBe('reports/province/r1-xlsx');
  });

  it('a report shows its own level and every level below it', () => {
    expect(levelsFrom('province')).toEqual(['province', 'college', 'programme', 'cohort']);
    expect(levelsFrom('programme')).toEqual(['programme', 'cohort']);
  });

  it('the monthly report covers the China month before the run (1 January 06:30 China time → December)', () => {
    expect(previousChinaMonth(new Date('2030-12-31T22:30:00Z'))).toBe('2030-12'); // 2031-01-01 06:30 in China
    expect(previousChinaMonth(new Date('2031-03-01T00:00:00+08:00'))).toBe('2031-02');
  });

  it('no tofu: every character the renderers print is in the embedded CJK font (regular and bold)', () => {
    const dir = join(__dirname, '..', 'render');
    const text = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join('') + readFileSync(join(__dirname, '..', 'domain', 'report.ts'), 'utf8');
    const chars = [...new Set([...text].filter((c) => c.codePointAt(0)! > 0x7e))];
    expect(chars.length).toBeGreaterThan(100);
    for (const weight of ['400Regular/NotoSansSC_400Regular.ttf', '700Bold/NotoSansSC_700Bold.ttf']) {
      // pdfkit's own font engine (its dependency), which decides which glyph each character gets
      const fontkit = require(require.resolve('fontkit', { paths: [require.resolve('pdfkit')] })) as { openSync(path: string): { hasGlyphForCodePoint(cp: number): boolean } };
      const font = fontkit.openSync(require.resolve(`@expo-google-fonts/noto-sans-sc/${weight}`));
      expect(chars.filter((c) => !font.hasGlyphForCodePoint(c.codePointAt(0)!))).toEqual([]);
    }
  });

  it('text in a report PDF reads back whole when the font draws a ligature (ff, fi): the e2e tests’ text reader follows the ToUnicode map', async () => {
    const line = '测试班 7786ff fi 技师达成率 100.0% ≥ 80%';
    const pdf = new ReportPdf('连字', '页脚');
    pdf.title(line);
    expect(pdfText(await pdf.toBuffer())).toContain(line);
  });
});

import { createHash } from 'node:crypto';
import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { agreementIn, attachmentIn, partnershipIn, registryEnterprise, SAMPLE_DOCX, SAMPLE_PDF, zipOf } from './matrix/enterprises.fixtures';
import { practiceWorld, today, workOrderRow } from './matrix/practice.fixtures';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const binary = (res: any, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('attachments (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let tenantA: string;
  let tenantB: string;
  let staffA: string;
  let staffB: string;
  let staffAUser: string;
  let enterprise1: { id: string };
  let enterprise2: { id: string };
  let ent1Token: string;
  let ent2Token: string;

  beforeAll(async () => {
    process.env.ATTACHMENT_MAX_BYTES = String(64 * 1024);
    t = await bootApp();
    f = await IdentityFactory.open();
    tenantA = await f.tenant({ name: '附件测试甲技师学院' });
    tenantB = await f.tenant({ name: '附件测试乙技师学院' });
    const a = await f.member('college-staff', { tenantId: tenantA });
    const b = await f.member('college-staff', { tenantId: tenantB });
    staffAUser = a.userId;
    staffA = (await login(t, a.email, TEST_PASSWORD)).accessToken;
    staffB = (await login(t, b.email, TEST_PASSWORD)).accessToken;
    enterprise1 = await registryEnterprise(f, '附件测试一号企业');
    enterprise2 = await registryEnterprise(f, '附件测试二号企业');
    const e1 = await f.member('enterprise-admin', { tenantId: tenantA, enterpriseId: enterprise1.id });
    const e2 = await f.member('enterprise-admin', { tenantId: tenantA, enterpriseId: enterprise2.id });
    ent1Token = (await login(t, e1.email, TEST_PASSWORD)).accessToken;
    ent2Token = (await login(t, e2.email, TEST_PASSWORD)).accessToken;
  });
  afterAll(async () => {
    delete process.env.ATTACHMENT_MAX_BYTES;
    await f.close();
    await t.close();
  });

  const upload = (token: string, content: Buffer, filename: string, fields: Record<string, string> = {}) => {
    let call = t.http().post('/api/v1/attachments').set(bearer(token));
    for (const [k, v] of Object.entries(fields)) call = call.field(k, v);
    return call.attach('file', content, filename);
  };

  it('accepts a PDF with a Chinese name, stores its SHA-256 and downloads identical bytes (RFC 5987 name)', async () => {
    const res = await upload(staffA, SAMPLE_PDF, '校企共培学制技师合作协议（签章版）.pdf').expect(201);
    expect(res.body).toMatchObject({
      filename: '校企共培学制技师合作协议（签章版）.pdf',
      contentType: 'application/pdf',
      sizeBytes: SAMPLE_PDF.length,
      sha256: sha(SAMPLE_PDF),
    });
    const meta = await t.http().get(`/api/v1/attachments/${res.body.id}`).set(bearer(staffA)).expect(200);
    expect(meta.body.sha256).toBe(sha(SAMPLE_PDF));
    const dl = await t.http().get(`/api/v1/attachments/${res.body.id}/download`).set(bearer(staffA)).buffer(true).parse(binary).expect(200);
    expect(Buffer.compare(dl.body as Buffer, SAMPLE_PDF)).toBe(0);
    expect(dl.headers['content-type']).toContain('application/pdf');
    expect(dl.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('校企共培学制技师合作协议（签章版）.pdf').replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`);
    expect(dl.headers['content-disposition']).toMatch(/^attachment; filename="[\x20-\x7e]+"/);
    const audit = await f.provinceQuery(`SELECT action FROM audit_log WHERE entity = 'attachment' AND entity_id = $1`, [res.body.id]);
    expect(audit.rows).toEqual([{ action: 'upload' }]);
  });

  it('accepts a docx (OOXML container with word/) and a PNG, typed by content', async () => {
    const docx = await upload(staffA, SAMPLE_DOCX, '人才培养方案.docx').expect(201);
    expect(docx.body.contentType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(docx.body.sha256).toBe(sha(SAMPLE_DOCX));
    // signature + an IHDR chunk header: file-type (issue 10) wants the first chunk, not just the signature
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('\0\0\0\rIHDR'), Buffer.alloc(32)]);
    const img = await upload(staffA, png, 'scan.pdf').expect(201);
    // the name follows the content: a PNG called .pdf is stored as a PNG
    expect(img.body).toMatchObject({ contentType: 'image/png', filename: 'scan.pdf.png' });
  });

  it('refuses an executable or plain text renamed .pdf, and a bare ZIP, with 415 in Chinese', async () => {
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
    const r1 = await upload(staffA, exe, '合作协议.pdf').expect(415);
    expect(r1.headers['content-type']).toContain('application/problem+json');
    expect(r1.body.code).toBe('ATTACHMENTS.UNSUPPORTED_TYPE');
    expect(r1.body.title).toContain('不支持的文件类型');
    await upload(staffA, Buffer.from('这不是 PDF 文件'), '说明.pdf').expect(415);
    await upload(staffA, zipOf({ 'readme.txt': 'hello' }), '资料.docx').expect(415);
    // OLE2 is taken only as .doc/.xls/.ppt (an .msi shares the container)
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(64)]);
    await upload(staffA, ole, 'setup.msi').expect(415);
    expect((await upload(staffA, ole, '旧版方案.doc').expect(201)).body.contentType).toBe('application/msword');
  });

  it('refuses a file above the size limit with 413 problem+json', async () => {
    const big = Buffer.concat([SAMPLE_PDF, Buffer.alloc(64 * 1024 + 1)]);
    const res = await upload(staffA, big, '超大文件.pdf').expect(413);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.code).toBe('ATTACHMENTS.TOO_LARGE');
  });

  it('the size limit is inclusive: exactly the limit is stored, one byte more is refused (413)', async () => {
    const limit = 64 * 1024;
    const atLimit = Buffer.concat([SAMPLE_PDF, Buffer.alloc(limit - SAMPLE_PDF.length)]);
    const ok = await upload(staffA, atLimit, '刚好达到上限.pdf').expect(201);
    expect(ok.body).toMatchObject({ sizeBytes: limit, sha256: sha(atLimit) });
    const over = Buffer.concat([atLimit, Buffer.from([0x0a])]);
    expect((await upload(staffA, over, '超出一个字节.pdf').expect(413)).body.code).toBe('ATTACHMENTS.TOO_LARGE');
  });

  it('answers 400 without a file', async () => {
    const res = await t.http().post('/api/v1/attachments').set(bearer(staffA)).field('ownerEntity', 'agreement').expect(400);
    expect(res.body.status).toBe(400);
  });

  it('another college’s attachment id answers 404 for metadata and download', async () => {
    const res = await upload(staffA, SAMPLE_PDF, '甲校文件.pdf').expect(201);
    const m = await t.http().get(`/api/v1/attachments/${res.body.id}`).set(bearer(staffB)).expect(404);
    expect(m.body.code).toBe('ATTACHMENTS.NOT_FOUND');
    await t.http().get(`/api/v1/attachments/${res.body.id}/download`).set(bearer(staffB)).expect(404);
  });

  it('an enterprise user downloads its own enterprise’s files, not another enterprise’s (404)', async () => {
    const own = await upload(ent1Token, SAMPLE_PDF, '企业资质.pdf').expect(201);
    expect(own.body.enterpriseId).toBe(enterprise1.id);
    await t.http().get(`/api/v1/attachments/${own.body.id}/download`).set(bearer(ent1Token)).expect(200);
    await t.http().get(`/api/v1/attachments/${own.body.id}`).set(bearer(ent2Token)).expect(404);
    await t.http().get(`/api/v1/attachments/${own.body.id}/download`).set(bearer(ent2Token)).expect(404);
    // a college file that concerns no enterprise is not theirs either
    const collegeFile = await attachmentIn(f, tenantA, staffAUser);
    await t.http().get(`/api/v1/attachments/${collegeFile}`).set(bearer(ent1Token)).expect(404);
    // the college sees the enterprise's upload
    await t.http().get(`/api/v1/attachments/${own.body.id}`).set(bearer(staffA)).expect(200);
  });

  it('ownerEntity and ownerId go together; an owner type no module vouches for is 422', async () => {
    await upload(staffA, SAMPLE_PDF, 'a.pdf', { ownerEntity: 'agreement' }).expect(400);
    const res = await upload(staffA, SAMPLE_PDF, 'a.pdf', { ownerEntity: 'training-plan', ownerId: '6f1c0c3e-1d2b-4c6a-9d53-2d1f4f0c9a11' }).expect(422);
    expect(res.body.code).toBe('ATTACHMENTS.OWNER_TYPE_UNKNOWN');
  });

  describe('issue 9 item 2: a file is linked only by its uploader, once, to a record the uploader may write', () => {
    const uploads = async () => Number((await f.provinceQuery("SELECT count(*)::int AS n FROM attachments")).rows[0].n);

    it('POST /attachments naming another college’s agreement, or a missing one, is 422 and stores nothing; the own agreement links', async () => {
      const pB = await partnershipIn(f, tenantB, enterprise1.id, 'active');
      const agreementB = await agreementIn(f, tenantB, pB);
      const before = await uploads();
      for (const ownerId of [agreementB, '6f1c0c3e-1d2b-4c6a-9d53-2d1f4f0c9a11']) {
        const res = await upload(staffA, SAMPLE_PDF, '协议.pdf', { ownerEntity: 'agreement', ownerId }).expect(422);
        expect(res.body.code).toBe('ATTACHMENTS.OWNER_NOT_FOUND');
      }
      // an enterprise user cannot name the agreement either (it may not manage agreements)
      const pA = await partnershipIn(f, tenantA, enterprise1.id, 'active');
      const agreementA = await agreementIn(f, tenantA, pA);
      await upload(ent1Token, SAMPLE_PDF, '协议.pdf', { ownerEntity: 'agreement', ownerId: agreementA }).expect(422);
      expect(await uploads()).toBe(before);
      const ok = await upload(staffA, SAMPLE_PDF, '协议.pdf', { ownerEntity: 'agreement', ownerId: agreementA }).expect(201);
      expect(ok.body).toMatchObject({ ownerEntity: 'agreement', ownerId: agreementA, enterpriseId: enterprise1.id });
    });

    it('signing an agreement with a file someone else uploaded is refused and the file stays with its uploader', async () => {
      const p = await partnershipIn(f, tenantA, enterprise2.id, 'active');
      const agreement = await agreementIn(f, tenantA, p);
      const foreign = await upload(ent1Token, SAMPLE_PDF, '一号企业资料.pdf').expect(201);
      const sign = (fileId: string) =>
        t.http().post(`/api/v1/agreements/${agreement}/sign`).set(bearer(staffA)).send({ signedOn: today(), signedFileAttachmentId: fileId, version: 1 });
      const refused = await sign(foreign.body.id);
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('PARTNERSHIPS.SIGNED_FILE_MISSING');
      await t.http().get(`/api/v1/attachments/${foreign.body.id}/download`).set(bearer(ent1Token)).expect(200);
      await t.http().get(`/api/v1/attachments/${foreign.body.id}`).set(bearer(ent2Token)).expect(404);
      const own = await upload(staffA, SAMPLE_PDF, '签章版.pdf').expect(201);
      expect((await sign(own.body.id)).status).toBe(200);
      // once: the same file cannot document a second agreement
      const other = await agreementIn(f, tenantA, await partnershipIn(f, tenantA, enterprise1.id, 'proposed'));
      const again = await t.http().post(`/api/v1/agreements/${other}/sign`).set(bearer(staffA)).send({ signedOn: today(), signedFileAttachmentId: own.body.id, version: 1 });
      expect(again.status).toBe(422);
      expect((await t.http().get(`/api/v1/attachments/${own.body.id}`).set(bearer(staffA)).expect(200)).body.ownerId).toBe(agreement);
    });

    it('a work-order record cannot take over another enterprise’s or the college’s file; the uploader keeps it, the attacker still gets 404', async () => {
      const m = await f.member('enterprise-mentor', { tenantId: tenantA, enterpriseId: enterprise2.id });
      const mentor2 = (await login(t, m.email, TEST_PASSWORD)).accessToken;
      const w = await practiceWorld(f, tenantA, enterprise2.id, { enterpriseUserId: m.userId });
      const order = await workOrderRow(f, w, 'issued');
      const victims = [(await upload(ent1Token, SAMPLE_PDF, '一号企业工艺.pdf').expect(201)).body.id, (await upload(staffA, SAMPLE_PDF, '学院文件.pdf').expect(201)).body.id];
      for (const id of victims) {
        const res = await t.http().post(`/api/v1/work-orders/${order}/records`).set(bearer(mentor2)).send({ text: '过程记录', hours: 1, attachmentIds: [id] });
        expect(res.status).toBe(422);
        await t.http().get(`/api/v1/attachments/${id}/download`).set(bearer(mentor2)).expect(404);
      }
      await t.http().get(`/api/v1/attachments/${victims[0]}/download`).set(bearer(ent1Token)).expect(200);
      const rows = await f.provinceQuery('SELECT owner_id FROM attachments WHERE id = ANY($1::uuid[])', [victims]);
      expect(rows.rows.map((r) => r.owner_id)).toEqual([null, null]);
      const own = await upload(mentor2, SAMPLE_PDF, '首件检验.pdf').expect(201);
      await t.http().post(`/api/v1/work-orders/${order}/records`).set(bearer(mentor2)).send({ text: '过程记录', hours: 1, attachmentIds: [own.body.id] }).expect(201);
      // the college staff (who may record too) cannot re-link the mentor's file
      await t.http().post(`/api/v1/work-orders/${order}/records`).set(bearer(staffA)).send({ text: '补充', hours: 1, attachmentIds: [own.body.id] }).expect(422);
    });
  });
});

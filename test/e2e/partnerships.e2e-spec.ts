import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';

import { agreementIn, attachmentIn, partnershipIn, programmeIn, registryEnterprise, SAMPLE_PDF } from './matrix/enterprises.fixtures';
import { chinaToday } from '../../src/time/china-date';
import { monthsFromToday } from '../setup/dates';

const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe('partnerships and agreements (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let tenantA: string;
  let tenantB: string;
  let staffA: string;
  let staffB: string;
  let staffAUser: string;

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    tenantA = await f.tenant({ name: '合作测试甲技师学院' });
    tenantB = await f.tenant({ name: '合作测试乙技师学院' });
    const a = await f.member('college-staff', { tenantId: tenantA });
    staffAUser = a.userId;
    staffA = (await login(t, a.email, TEST_PASSWORD)).accessToken;
    staffB = (await login(t, (await f.member('college-staff', { tenantId: tenantB })).email, TEST_PASSWORD)).accessToken;
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  const create = (programmeId: string, enterpriseId: string) =>
    t.http().post('/api/v1/partnerships').set(bearer(staffA)).send({ programmeId, enterpriseId });
  const activate = (id: string, version = 1) => t.http().post(`/api/v1/partnerships/${id}/activate`).set(bearer(staffA)).send({ version });

  describe('R-PRG-3: 1 to 2 active partner enterprises per programme', () => {
    it('R-PRG-3: the 1st and 2nd active partners are accepted, the 3rd is refused with a clear Chinese message', async () => {
      const programme = await programmeIn(f, tenantA, '工业机器人应用与维护');
      const ids: string[] = [];
      for (const name of ['一号合作企业', '二号合作企业', '三号合作企业']) {
        const e = await registryEnterprise(f, name);
        const res = await create(programme, e.id).expect(201);
        expect(res.body).toMatchObject({ status: 'proposed', programmeName: '工业机器人应用与维护', enterpriseName: name });
        ids.push(res.body.id);
      }
      expect((await activate(ids[0]).expect(200)).body.status).toBe('active');
      expect((await activate(ids[1]).expect(200)).body.status).toBe('active');
      const third = await activate(ids[2]).expect(422);
      expect(third.body.code).toBe('PARTNERSHIPS.TOO_MANY_ACTIVE');
      expect(third.body.title).toContain('最多与 2 家企业');
      expect(third.body.title).toContain('一号合作企业');
      // ending one frees the place
      await t.http().post(`/api/v1/partnerships/${ids[0]}/end`).set(bearer(staffA)).send({ version: 2 }).expect(200);
      await activate(ids[2]).expect(200);
    });

    it('R-PRG-3: two concurrent activations for the last place: exactly one wins (programme row locked)', async () => {
      const programme = await programmeIn(f, tenantA, '电气自动化设备安装与维修');
      const ids: string[] = [];
      for (const name of ['并发甲企业', '并发乙企业', '并发丙企业']) ids.push((await create(programme, (await registryEnterprise(f, name)).id).expect(201)).body.id);
      await activate(ids[0]).expect(200);
      const [x, y] = await Promise.all([activate(ids[1]), activate(ids[2])]);
      expect([x.status, y.status].sort()).toEqual([200, 422]);
    });

    it('the same enterprise twice on one programme → 409; stale version → 409', async () => {
      const programme = await programmeIn(f, tenantA);
      const e = await registryEnterprise(f);
      const p = await create(programme, e.id).expect(201);
      const dup = await create(programme, e.id).expect(409);
      expect(dup.body.code).toBe('PARTNERSHIPS.DUPLICATE');
      await activate(p.body.id, 7).expect(409);
    });

    it('a programme or enterprise that does not exist in this college → 422; another college’s partnership → 404', async () => {
      const e = await registryEnterprise(f);
      await create(await programmeIn(f, tenantB), e.id).expect(422);
      await create(await programmeIn(f, tenantA), '6f1c0c3e-1d2b-4c6a-9d53-2d1f4f0c9a11').expect(422);
      const p = await create(await programmeIn(f, tenantA), e.id).expect(201);
      await t.http().get(`/api/v1/partnerships/${p.body.id}`).set(bearer(staffB)).expect(404);
    });
  });

  describe('R-TRN-1: joint-training agreements', () => {
    it('R-TRN-1: drafted with party snapshots, signed only with the signed file, terminated; audited', async () => {
      const e = await registryEnterprise(f, '协议测试装备有限公司');
      const p = await create(await programmeIn(f, tenantA), e.id).expect(201);
      const today = chinaToday();
      const draft = await t.http().post(`/api/v1/partnerships/${p.body.id}/agreements`).set(bearer(staffA))
        .send({ termStart: shift(today, -10), termEnd: shift(today, 1000), rightsAndDuties: '学院负责教学组织，企业提供岗位、项目与导师' }).expect(201);
      expect(draft.body).toMatchObject({ status: 'draft', inForce: false, collegePartyName: '合作测试甲技师学院', enterprisePartyName: '协议测试装备有限公司' });
      const noFile = await t.http().post(`/api/v1/agreements/${draft.body.id}/sign`).set(bearer(staffA))
        .send({ signedOn: today, signedFileAttachmentId: '6f1c0c3e-1d2b-4c6a-9d53-2d1f4f0c9a11', version: 1 }).expect(422);
      expect(noFile.body.code).toBe('PARTNERSHIPS.SIGNED_FILE_MISSING');
      // another college's file is not this college's
      const foreignFile = await attachmentIn(f, tenantB, staffAUser);
      await t.http().post(`/api/v1/agreements/${draft.body.id}/sign`).set(bearer(staffA)).send({ signedOn: today, signedFileAttachmentId: foreignFile, version: 1 }).expect(422);
      const upload = await t.http().post('/api/v1/attachments').set(bearer(staffA)).attach('file', SAMPLE_PDF, '合作协议（签章）.pdf').expect(201);
      const signed = await t.http().post(`/api/v1/agreements/${draft.body.id}/sign`).set(bearer(staffA))
        .send({ signedOn: today, signedFileAttachmentId: upload.body.id, version: 1 }).expect(200);
      expect(signed.body).toMatchObject({ status: 'signed', inForce: true, signedFileAttachmentId: upload.body.id });
      // the enterprise may now download the signed file
      const entAdmin = await f.member('enterprise-admin', { tenantId: tenantA, enterpriseId: e.id });
      const entToken = (await login(t, entAdmin.email, TEST_PASSWORD)).accessToken;
      await t.http().get(`/api/v1/attachments/${upload.body.id}/download`).set(bearer(entToken)).expect(200);
      await t.http().get(`/api/v1/agreements/${draft.body.id}`).set(bearer(entToken)).expect(200);
      // a signed agreement is not edited in place
      await t.http().patch(`/api/v1/agreements/${draft.body.id}`).set(bearer(staffA)).send({ termEnd: shift(today, 2000), version: 2 }).expect(409);
      const ended = await t.http().post(`/api/v1/agreements/${draft.body.id}/terminate`).set(bearer(staffA)).send({ reason: '协商一致提前终止', version: 2 }).expect(200);
      expect(ended.body).toMatchObject({ status: 'terminated', inForce: false });
      const audit = await f.provinceQuery(`SELECT action FROM audit_log WHERE entity = 'agreement' AND entity_id = $1 ORDER BY occurred_at`, [draft.body.id]);
      expect(audit.rows.map((r) => r.action)).toEqual(['create', 'sign', 'terminate']);
    });

    it('R-TRN-1: in force on term_start and term_end, not the day before / after, not unsigned', async () => {
      const today = chinaToday();
      const e = await registryEnterprise(f);
      const p = await partnershipIn(f, tenantA, e.id, 'active');
      const file = await attachmentIn(f, tenantA, staffAUser);
      const cases: [string, string, string, boolean][] = [
        ['signed', today, shift(today, 30), true], // today = term_start
        ['signed', shift(today, -30), today, true], // today = term_end
        ['signed', shift(today, 1), shift(today, 30), false], // the day before term_start
        ['signed', shift(today, -30), shift(today, -1), false], // the day after term_end
        ['draft', shift(today, -30), shift(today, 30), false], // unsigned
      ];
      for (const [status, termStart, termEnd, inForce] of cases) {
        const id = await agreementIn(f, tenantA, p, { status, termStart, termEnd, attachmentId: status === 'signed' ? file : undefined });
        const res = await t.http().get(`/api/v1/agreements/${id}`).set(bearer(staffA)).expect(200);
        expect({ status, termStart, termEnd, inForce: res.body.inForce }).toEqual({ status, termStart, termEnd, inForce });
      }
    });

    it('a draft is updated with its version (stale → 409) and its term must not end before it starts', async () => {
      const e = await registryEnterprise(f);
      const p = await partnershipIn(f, tenantA, e.id);
      const id = await agreementIn(f, tenantA, p);
      await t.http().patch(`/api/v1/agreements/${id}`).set(bearer(staffA)).send({ termEnd: '2020-01-01', version: 1 }).expect(400);
      const ok = await t.http().patch(`/api/v1/agreements/${id}`).set(bearer(staffA)).send({ termEnd: monthsFromToday(60), version: 1 }).expect(200);
      expect(ok.body).toMatchObject({ termEnd: monthsFromToday(60), version: 2 });
      await t.http().patch(`/api/v1/agreements/${id}`).set(bearer(staffA)).send({ termEnd: monthsFromToday(72), version: 1 }).expect(409);
    });
  });
});

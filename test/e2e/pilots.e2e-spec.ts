import { IdentityFactory, TEST_PASSWORD } from '../factories/identity.factory';
import { bearer, bootApp, login, TestApp } from '../setup/app';
import { chinaToday } from '../../src/time/china-date';
import { inTenant } from './matrix/programmes.fixtures';
import { applicationRow, daysFromToday, managementScheme, noticeRow, readyProgramme, THIS_YEAR } from './matrix/pilots.fixtures';
import { teamOf } from './matrix/staff.fixtures';

/**
 * Issue 12 through the HTTP API as the users would: a notice, an application, its review,
 * the public notice, the announcement and the filing; a rejected application; the
 * submission gates (R-PRG-5, R-EVA-2, R-TRN-1, R-APP-3, deadline) and the expert conflict
 * check; the R-APP-5 end date across the 2025 and 2026 holidays and a provisional year.
 */
describe('pilot process (e2e)', () => {
  let t: TestApp;
  let f: IdentityFactory;
  let collegeA: string;
  let collegeB: string;
  let collegeOther: string;
  let staffA: string;
  let staffUserA: string;
  let staffB: string;
  let admin: string;
  let viewer: string;
  let expert: string;
  let expertUserId: string;
  let otherExpert: string;

  const api = (path: string) => `/api/v1${path}`;
  const post = (path: string, token: string, body: object = {}) => t.http().post(api(path)).set(bearer(token)).send(body);
  const get = (path: string, token: string) => t.http().get(api(path)).set(bearer(token));

  beforeAll(async () => {
    t = await bootApp();
    f = await IdentityFactory.open();
    collegeA = await f.tenant({ name: '试点甲技师学院', tier: 'batch1', city: '广州' });
    collegeB = await f.tenant({ name: '试点乙技师学院', tier: 'batch1', city: '佛山' });
    collegeOther = await f.tenant({ name: '试点丙技工学校', tier: 'other', city: '湛江' });
    const sa = await f.member('college-staff', { tenantId: collegeA });
    staffUserA = sa.userId;
    staffA = (await login(t, sa.email, TEST_PASSWORD)).accessToken;
    staffB = (await login(t, (await f.member('college-staff', { tenantId: collegeB })).email, TEST_PASSWORD)).accessToken;
    admin = (await login(t, (await f.member('province-admin')).email, TEST_PASSWORD)).accessToken;
    viewer = (await login(t, (await f.member('province-viewer')).email, TEST_PASSWORD)).accessToken;
    const e = await f.member('province-expert');
    expertUserId = e.userId;
    expert = (await login(t, e.email, TEST_PASSWORD)).accessToken;
    otherExpert = (await login(t, (await f.member('province-expert')).email, TEST_PASSWORD)).accessToken;
  });
  afterAll(async () => {
    await f.close();
    await t.close();
  });

  async function notice(collegeIds: string[], over: Record<string, unknown> = {}) {
    const res = await post('/pilot-notices', admin, {
      year: THIS_YEAR,
      title: `关于组织申报 ${THIS_YEAR} 年学制技师培养试点专业的通知`,
      requirements: '申报专业须服务“双十”产业集群，校企双主体联合培养。',
      materials: ['人才培养方案', '合作企业资质材料及联合培养协议', '管理方案'],
      deadline: daysFromToday(30),
      collegeIds,
      ...over,
    });
    if (res.status !== 201) throw new Error(`notice: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** A draft application of college A for one ready programme with all materials and the committee's approval. */
  async function draft(noticeId: string, ready: Awaited<ReturnType<typeof readyProgramme>>, over: Record<string, unknown> = {}) {
    const res = await post('/pilot-applications', staffA, {
      noticeId,
      programmes: [
        { programmeId: ready.programmeId, partners: [{ enterpriseId: ready.enterpriseId, qualificationAttachmentIds: [ready.qualificationId], agreementId: ready.agreementId }] },
      ],
      managementScheme: await managementScheme(f, collegeA, staffUserA),
      teachingCommittee: { decidedOn: daysFromToday(-2), decision: 'approved', notes: '全体委员一致同意申报' },
      ...over,
    });
    if (res.status !== 201) throw new Error(`application: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  const pilotStatus = async (programmeId: string) => (await get(`/programmes/${programmeId}`, staffA).expect(200)).body.pilotStatus;

  it('R-COL-2: a notice goes to the colleges the rollout allows; naming another needs a reason; colleges see only notices addressed to them', async () => {
    const refused = await post('/pilot-notices', admin, {
      year: THIS_YEAR,
      title: '通知',
      requirements: '要求',
      materials: ['人才培养方案'],
      deadline: daysFromToday(30),
      collegeIds: [collegeA, collegeOther],
    });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('PILOTS.INELIGIBLE_COLLEGE_NEEDS_REASON');
    expect(refused.body.title).toContain('试点丙技工学校');
    const n = await notice([collegeA], { extraColleges: [{ collegeId: collegeOther, reason: '承接省级技能人才培养基地，纳入先行试点' }] });
    expect(n.recipients.map((r: any) => [r.collegeName, r.eligible, r.reason])).toEqual([
      ['试点丙技工学校', false, '承接省级技能人才培养基地，纳入先行试点'],
      ['试点甲技师学院', true, null],
    ]);
    expect(n.reviewCriteria.map((c: any) => c.code)).toEqual(['industry-fit', 'enterprise-resources', 'assessment-scheme']);
    // college A sees it (its own recipient row only); college B does not (404, absent from its list)
    const seen = await get(`/pilot-notices/${n.id}`, staffA).expect(200);
    expect(seen.body.recipients.map((r: any) => r.collegeId)).toEqual([collegeA]);
    await get(`/pilot-notices/${n.id}`, staffB).expect(404);
    const listB = await get('/pilot-notices?limit=200', staffB).expect(200);
    expect(listB.body.items.map((x: any) => x.id)).not.toContain(n.id);
    // by default: every active college of an eligible tier in that year (batch1 in 2025), none of tier "other"
    const byDefault = await post('/pilot-notices', admin, { year: 2025, title: '2025 年试点通知', requirements: '要求', materials: ['人才培养方案'], deadline: daysFromToday(30) }).expect(201);
    const ids = byDefault.body.recipients.map((r: any) => r.collegeId);
    expect(ids).toEqual(expect.arrayContaining([collegeA, collegeB]));
    expect(ids).not.toContain(collegeOther);
    expect(byDefault.body.recipients.every((r: any) => r.eligible && r.tier === 'batch1')).toBe(true);
    // R-APP-4: custom criteria must keep the three mandatory ones
    const fewer = await post('/pilot-notices', admin, {
      year: THIS_YEAR, title: '通知', requirements: '要求', materials: ['方案'], deadline: daysFromToday(30), collegeIds: [collegeA],
      reviewCriteria: [{ code: 'industry-fit', nameZh: '契合度', nameEn: 'fit' }, { code: 'x-one', nameZh: '一', nameEn: 'one' }, { code: 'x-two', nameZh: '二', nameEn: 'two' }],
    });
    expect(fewer.status).toBe(422);
    expect(fewer.body.code).toBe('PILOTS.MISSING_REVIEW_CRITERIA');
  });

  it('R-APP-1…6: one application walks from notice to filing through the API, the pilot status following the process', async () => {
    const n = await notice([collegeA]);
    const ready = await readyProgramme(f, collegeA, staffUserA);
    const app = await draft(n.id, ready);
    expect(app).toMatchObject({ status: 'draft', tenantId: collegeA, version: 1, experts: [], snapshot: null });
    expect(await pilotStatus(ready.programmeId)).toBe('candidate');

    // R-APP-3: submitted before the deadline, frozen in a snapshot; the programme becomes "applied"
    const submitted = await post(`/pilot-applications/${app.id}/submit`, staffA, { version: 1 }).expect(200);
    expect(submitted.body.status).toBe('submitted');
    expect(submitted.body.snapshot.programmes).toHaveLength(1);
    expect(submitted.body.snapshot.programmes[0]).toMatchObject({ programmeId: ready.programmeId, planVersionNo: 1, team: { compliant: true } });
    expect(submitted.body.snapshot.programmes[0].partners[0]).toMatchObject({ enterpriseId: ready.enterpriseId, agreementInForce: true });
    expect(submitted.body.programmes[0]).toMatchObject({ stage: 'pending', planVersionNo: 1, pilotStatus: 'applied' });
    expect(await pilotStatus(ready.programmeId)).toBe('applied');
    // frozen: a later edit of the programme does not change what is reviewed; the application itself is locked
    await inTenant(f, collegeA, () => f.query(`UPDATE programmes SET name = '改名后的专业' WHERE id = $1`, [ready.programmeId]));
    const frozen = await get(`/pilot-applications/${app.id}`, admin).expect(200);
    expect(frozen.body.snapshot.programmes[0].name).toBe('数控加工（数控车工）');
    const locked = await t.http().patch(api(`/pilot-applications/${app.id}`)).set(bearer(staffA)).send({ version: 2 });
    expect(locked.status).toBe(422);
    expect(locked.body.code).toBe('PILOTS.NOT_EDITABLE');

    // R-APP-4: experts see only what they are assigned
    await get(`/pilot-applications/${app.id}`, expert).expect(404);
    const assigned = await post(`/pilot-applications/${app.id}/experts`, admin, { expertUserId }).expect(200);
    expect(assigned.body.status).toBe('under-review');
    expect(assigned.body.experts.map((e: any) => e.expertUserId)).toEqual([expertUserId]);
    const mine = await get('/pilot-applications?limit=200', expert).expect(200);
    expect(mine.body.items.map((x: any) => x.id)).toContain(app.id);
    await get(`/pilot-applications/${app.id}`, otherExpert).expect(404);
    const otherList = await get('/pilot-applications?limit=200', otherExpert).expect(200);
    expect(otherList.body.items.map((x: any) => x.id)).not.toContain(app.id);

    const itemId = submitted.body.programmes[0].id;
    const badScores = await post(`/pilot-applications/${app.id}/reviews`, expert, { applicationProgrammeId: itemId, scores: { 'industry-fit': 90 }, comments: '好', recommendation: 'approve' });
    expect(badScores.status).toBe(422);
    expect(badScores.body.code).toBe('PILOTS.BAD_SCORES');
    const reviewed = await post(`/pilot-applications/${app.id}/reviews`, expert, {
      applicationProgrammeId: itemId,
      scores: { 'industry-fit': 88, 'enterprise-resources': 82, 'assessment-scheme': 86 },
      comments: '产业契合度高，合作企业岗位真实充足。',
      recommendation: 'approve',
    }).expect(201);
    expect(reviewed.body.programmes[0].reviews).toEqual([expect.objectContaining({ expertUserId, total: 85.33, recommendation: 'approve' })]);
    await post(`/pilot-applications/${app.id}/site-checks`, expert, { checkedOn: daysFromToday(-1), findings: '实地查看合作企业数控车间，设备与岗位与申报材料一致。' }).expect(201);
    // the college sees neither the experts nor their scores
    const asCollege = await get(`/pilot-applications/${app.id}`, staffA).expect(200);
    expect(asCollege.body.experts).toEqual([]);
    expect(asCollege.body.programmes[0].reviews).toEqual([]);
    expect(asCollege.body.siteChecks).toHaveLength(1);

    // the province decides; the expert may not
    await post(`/pilot-applications/${app.id}/decisions`, expert, { decisions: [{ applicationProgrammeId: itemId, decision: 'approve' }] }).expect(403);
    const decided = await post(`/pilot-applications/${app.id}/decisions`, admin, { decisions: [{ applicationProgrammeId: itemId, decision: 'approve', reason: '专家评审平均 85.33 分' }] }).expect(200);
    expect(decided.body).toMatchObject({ status: 'decided' });
    expect(decided.body.programmes[0].stage).toBe('approved');

    // R-APP-5: the public notice, published 30 days ago: 5 working days after it have passed
    const publishedOn = daysFromToday(-30);
    const batchRes = await post('/publicity-batches', admin, { title: `${THIS_YEAR} 年学制技师培养试点专业名单公示`, publishedOn, applicationProgrammeIds: [itemId] }).expect(201);
    let batch = batchRes.body;
    const expected = (await get(`/reference/calendar/working-days?from=${publishedOn}&days=5`, admin).expect(200)).body;
    expect(batch).toMatchObject({ publishedOn, computedEndsOn: expected.endDate, endsOn: expected.endDate, provisional: expected.provisional, status: 'open' });
    expect(batch.endsAt).toBe(new Date(Date.parse(`${expected.endDate}T00:00:00+08:00`) + 86_400_000).toISOString());
    expect(batch.items).toEqual([expect.objectContaining({ applicationProgrammeId: itemId, tenantId: collegeA, stage: 'in-publicity' })]);
    if (batch.provisional) {
      // a window through a year not yet entered is never silently trusted: a province admin confirms it first
      batch = (await t.http().patch(api(`/publicity-batches/${batch.id}/end-date`)).set(bearer(admin)).send({ endsOn: batch.endsOn, reason: '核定', version: batch.version }).expect(200)).body;
    }
    // an objection during the window, dismissed; college B sees none of college A's items
    const objection = await post(`/publicity-batches/${batch.id}/objections`, admin, { applicationProgrammeId: itemId, receivedOn: daysFromToday(-29), content: '反映合作企业岗位不足' }).expect(201);
    const late = await post(`/publicity-batches/${batch.id}/objections`, admin, { applicationProgrammeId: itemId, receivedOn: chinaToday(), content: '逾期异议' });
    expect(late.status).toBe(422);
    expect(late.body.code).toBe('PILOTS.OUTSIDE_WINDOW');
    const open = await post(`/publicity-batches/${batch.id}/announcement`, admin);
    expect(open.status).toBe(422);
    expect(open.body.code).toBe('PILOTS.OPEN_OBJECTIONS');
    await post(`/pilot-objections/${objection.body.id}/resolution`, admin, { outcome: 'dismissed', resolution: '经核实，企业已提供 12 个岗位，异议不成立' }).expect(200);
    expect((await get(`/publicity-batches/${batch.id}`, staffB).expect(200)).body.items).toEqual([]);

    // announced: the programme is an active pilot
    const announced = await post(`/publicity-batches/${batch.id}/announcement`, admin).expect(200);
    expect(announced.body).toMatchObject({ status: 'announced', announcedOn: chinaToday() });
    expect(announced.body.items[0].stage).toBe('announced');
    expect(await pilotStatus(ready.programmeId)).toBe('active');

    // R-APP-6: the ministry filing
    const filed = await post(`/publicity-batches/${batch.id}/filing`, admin, { filedOn: chinaToday(), reference: '人社厅函〔2026〕318号' }).expect(200);
    expect(filed.body).toMatchObject({ status: 'filed', filedOn: chinaToday(), filingReference: '人社厅函〔2026〕318号' });
    expect(filed.body.items[0].stage).toBe('filed');
    const final = await get(`/pilot-applications/${app.id}`, staffA).expect(200);
    expect(final.body.programmes[0]).toMatchObject({ stage: 'filed', pilotStatus: 'active', batchId: batch.id });

    // the process is audited in the college's log (the province acting, pinned to the college)
    const audit = await f.provinceQuery(
      `SELECT after->>'cause' AS cause, after->>'pilotStatus' AS status FROM audit_log WHERE entity = 'programme' AND entity_id = $1 AND action = 'pilot-status' ORDER BY occurred_at`,
      [ready.programmeId],
    );
    expect(audit.rows).toEqual([
      { cause: 'application-submitted', status: 'applied' },
      { cause: 'announced', status: 'active' },
    ]);
    const outbox = await f.query(`SELECT payload->>'event' AS event FROM outbox WHERE payload->>'tenantId' = $1 AND job_name = 'notifications.pilot-event' ORDER BY id`, [collegeA]);
    expect(outbox.rows.map((r: any) => r.event)).toEqual(expect.arrayContaining(['application-decided', 'publicity-started', 'announced']));
  });

  it('R-APP-4: a rejected application — the programme returns to candidate, with the reason, and cannot enter a public notice', async () => {
    const n = await notice([collegeA]);
    const ready = await readyProgramme(f, collegeA, staffUserA);
    const app = await draft(n.id, ready);
    await post(`/pilot-applications/${app.id}/submit`, staffA, { version: 1 }).expect(200);
    expect(await pilotStatus(ready.programmeId)).toBe('applied');
    await post(`/pilot-applications/${app.id}/experts`, admin, { expertUserId }).expect(200);
    const itemId = app.programmes[0].id;
    const noReason = await post(`/pilot-applications/${app.id}/decisions`, admin, { decisions: [{ applicationProgrammeId: itemId, decision: 'reject' }] });
    expect(noReason.status).toBe(422);
    expect(noReason.body.code).toBe('PILOTS.REASON_REQUIRED');
    const rejected = await post(`/pilot-applications/${app.id}/decisions`, admin, {
      decisions: [{ applicationProgrammeId: itemId, decision: 'reject', reason: '合作企业岗位与培养目标匹配度不足' }],
    }).expect(200);
    expect(rejected.body).toMatchObject({ status: 'decided' });
    expect(rejected.body.programmes[0]).toMatchObject({ stage: 'rejected', decisionReason: '合作企业岗位与培养目标匹配度不足', pilotStatus: 'candidate' });
    const seen = await get(`/pilot-applications/${app.id}`, staffA).expect(200);
    expect(seen.body.programmes[0].decisionReason).toBe('合作企业岗位与培养目标匹配度不足');
    const batch = await post('/publicity-batches', admin, { title: '公示', applicationProgrammeIds: [itemId] });
    expect(batch.status).toBe(422);
    expect(batch.body.code).toBe('PILOTS.NOT_APPROVED');
    expect((await f.query(`SELECT payload->>'event' AS e FROM outbox WHERE payload->>'subjectId' = $1`, [app.id])).rows).toEqual([{ e: 'application-decided' }]);
  });

  it('R-APP-4: a returned application is revised and submitted again; an upheld objection ends the programme (back to candidate)', async () => {
    const n = await notice([collegeA]);
    const ready = await readyProgramme(f, collegeA, staffUserA);
    const app = await draft(n.id, ready);
    await post(`/pilot-applications/${app.id}/submit`, staffA, { version: 1 }).expect(200);
    await post(`/pilot-applications/${app.id}/experts`, admin, { expertUserId }).expect(200);
    const itemId = app.programmes[0].id;
    const returned = await post(`/pilot-applications/${app.id}/decisions`, admin, { decisions: [{ applicationProgrammeId: itemId, decision: 'return', reason: '请补充技师阶段考核标准' }] }).expect(200);
    expect(returned.body.status).toBe('returned');
    expect(returned.body.programmes[0]).toMatchObject({ stage: 'returned', pilotStatus: 'applied' });
    const edited = await t.http().patch(api(`/pilot-applications/${app.id}`)).set(bearer(staffA)).send({ version: returned.body.version, teachingCommittee: { decidedOn: daysFromToday(-1), decision: 'approved' } }).expect(200);
    const again = await post(`/pilot-applications/${app.id}/submit`, staffA, { version: edited.body.version }).expect(200);
    expect(again.body.status).toBe('submitted');
    expect(again.body.programmes[0].stage).toBe('pending');
    await post(`/pilot-applications/${app.id}/experts`, admin, { expertUserId: (await f.member('province-expert')).userId }).expect(200);
    await post(`/pilot-applications/${app.id}/decisions`, admin, { decisions: [{ applicationProgrammeId: itemId, decision: 'approve' }] }).expect(200);
    const batch = (await post('/publicity-batches', admin, { title: '公示', publishedOn: daysFromToday(-1), applicationProgrammeIds: [itemId] }).expect(201)).body;
    const o = await post(`/publicity-batches/${batch.id}/objections`, admin, { applicationProgrammeId: itemId, receivedOn: chinaToday(), content: '反映合作协议系补签' }).expect(201);
    const upheld = await post(`/pilot-objections/${o.body.id}/resolution`, admin, { outcome: 'upheld', resolution: '经核实协议系补签，异议成立' }).expect(200);
    expect(upheld.body.status).toBe('upheld');
    await post(`/pilot-objections/${o.body.id}/resolution`, admin, { outcome: 'dismissed', resolution: '再次处理' }).expect(409);
    const after = await get(`/pilot-applications/${app.id}`, staffA).expect(200);
    expect(after.body.programmes[0]).toMatchObject({ stage: 'rejected', pilotStatus: 'candidate' });
    expect(after.body.programmes[0].decisionReason).toContain('异议成立');
  });

  it('R-APP-5: announcing before 24:00 of the end date is refused', async () => {
    const { itemId } = await applicationRow(f, collegeA, { status: 'decided', stage: 'approved' });
    const batch = (await post('/publicity-batches', admin, { title: '公示', applicationProgrammeIds: [itemId] }).expect(201)).body;
    expect(batch.publishedOn).toBe(chinaToday());
    expect(batch.endsOn > chinaToday()).toBe(true);
    const early = await post(`/publicity-batches/${batch.id}/announcement`, admin);
    expect(early.status).toBe(422);
    expect(early.body.code).toMatch(/PILOTS\.(WINDOW_NOT_OVER|WINDOW_PROVISIONAL)/);
    // nothing changed
    expect((await get(`/publicity-batches/${batch.id}`, admin).expect(200)).body).toMatchObject({ status: 'open', announcedOn: null });
  });

  describe('submission gates (R-PRG-5, R-EVA-2, R-TRN-1, R-APP-3, R-APP-7, deadline)', () => {
    it('R-EVA-2: a programme whose team is not compliant cannot be submitted (422 with the reason); nothing changes', async () => {
      const n = await notice([collegeA]);
      const ready = await readyProgramme(f, collegeA, staffUserA, { team: false });
      await teamOf(f, collegeA, ready.programmeId, { total: 7, enterprise: 2, experts: 5, enterpriseId: ready.enterpriseId });
      const app = await draft(n.id, ready);
      const res = await post(`/pilot-applications/${app.id}/submit`, staffA, { version: 1 });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('PILOTS.NOT_SUBMITTABLE');
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.title).toContain('R-EVA-2');
      expect(res.body.title).toContain('企业导师');
      expect(res.body.errors.map((e: any) => e.field)).toEqual([`programmes.${ready.programmeId}.R-EVA-2`]);
      const en = await post(`/pilot-applications/${app.id}/submit`, staffA, { version: 1 }).set('Accept-Language', 'en');
      expect(en.body.title).toContain('cannot be submitted');
      const still = await get(`/pilot-applications/${app.id}`, staffA).expect(200);
      expect(still.body).toMatchObject({ status: 'draft', version: 1, snapshot: null });
      expect(await pilotStatus(ready.programmeId)).toBe('candidate');
    });

    it('R-TRN-1: a programme whose agreement has expired cannot be submitted (422 naming the agreement)', async () => {
      const n = await notice([collegeA]);
      const ready = await readyProgramme(f, collegeA, staffUserA, { agreementEndsInDays: -1 });
      const app = await draft(n.id, ready);
      const res = await post(`/pilot-applications/${app.id}/submit`, staffA, { version: 1 });
      expect(res.status).toBe(422);
      expect(res.body.title).toContain('R-PRG-3');
      expect(res.body.title).toContain('没有已签署且在有效期内的联合培养协议');
      expect(await pilotStatus(ready.programmeId)).toBe('candidate');
    });

    it('R-APP-3 / R-APP-7: without the committee approval and the management scheme the application lists every missing item', async () => {
      const n = await notice([collegeA]);
      const ready = await readyProgramme(f, collegeA, staffUserA);
      const res0 = await post('/pilot-applications', staffA, {
        noticeId: n.id,
        programmes: [{ programmeId: ready.programmeId, partners: [{ enterpriseId: ready.enterpriseId, qualificationAttachmentIds: [] }] }],
      }).expect(201);
      const res = await post(`/pilot-applications/${res0.body.id}/submit`, staffA, { version: 1 });
      expect(res.status).toBe(422);
      expect(res.body.errors.map((e: any) => e.field)).toEqual([
        'teachingCommittee',
        'managementScheme.assessmentSchemeAttachmentId',
        'managementScheme.managementRulesAttachmentId',
        'managementScheme.enrolmentEmploymentPlanAttachmentId',
        `programmes.${ready.programmeId}.partners.${ready.enterpriseId}.qualificationAttachmentIds`,
        `programmes.${ready.programmeId}.partners.${ready.enterpriseId}.agreementId`,
      ]);
    });

    it('after the deadline a submission is refused unless the province reopens the notice for that college', async () => {
      const noticeId = await noticeRow(f, [collegeA], -1);
      const ready = await readyProgramme(f, collegeA, staffUserA);
      const app = await draft(noticeId, ready);
      const late = await post(`/pilot-applications/${app.id}/submit`, staffA, { version: 1 });
      expect(late.status).toBe(422);
      expect(late.body.code).toBe('PILOTS.DEADLINE_PASSED');
      const reopened = await post(`/pilot-notices/${noticeId}/reopenings`, admin, { collegeId: collegeA, until: chinaToday(), reason: '受台风影响材料盖章延误' }).expect(200);
      expect(reopened.body).toMatchObject({ collegeId: collegeA, reopenedUntil: chinaToday() });
      await post(`/pilot-applications/${app.id}/submit`, staffA, { version: 1 }).expect(200);
    });

    it('a college applies only to a notice addressed to it, with its own programmes; another college’s application answers 404', async () => {
      const n = await notice([collegeA]);
      const ready = await readyProgramme(f, collegeA, staffUserA);
      const notAddressed = await post('/pilot-applications', staffB, { noticeId: n.id, programmes: [{ programmeId: ready.programmeId, partners: [] }] });
      expect(notAddressed.status).toBe(422);
      expect(notAddressed.body.code).toBe('PILOTS.NOT_A_RECIPIENT');
      const nB = await notice([collegeB]);
      const foreignProgramme = await post('/pilot-applications', staffB, { noticeId: nB.id, programmes: [{ programmeId: ready.programmeId, partners: [] }] });
      expect(foreignProgramme.status).toBe(422);
      expect(foreignProgramme.body.code).toBe('PILOTS.PROGRAMME_NOT_FOUND');
      const app = await draft(n.id, ready);
      await get(`/pilot-applications/${app.id}`, staffB).expect(404);
      await post(`/pilot-applications/${app.id}/submit`, staffB, { version: 1 }).expect(404);
      const mass = await post('/pilot-applications', staffA, { noticeId: n.id, tenantId: collegeB, programmes: [{ programmeId: ready.programmeId, partners: [] }] });
      expect(mass.status).toBe(400);
      await get(`/pilot-applications/${app.id}`, viewer).expect(200);
    });
  });

  describe('R-APP-4 conflict check', () => {
    it('an expert with a membership in the applying college, or in a partner enterprise, cannot be assigned (422 with the reason)', async () => {
      const { applicationId } = await applicationRow(f, collegeA, { status: 'submitted' });
      const linked = await f.member('province-expert');
      await f.addMembership(linked.userId, 'college-staff', { tenantId: collegeA });
      const res = await post(`/pilot-applications/${applicationId}/experts`, admin, { expertUserId: linked.userId });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('PILOTS.EXPERT_CONFLICT');
      expect(res.body.title).toContain('试点甲技师学院');

      // a partner enterprise of the application's programme (named in its materials)
      const enterpriseId = await f.enterprise('回避测试精密机械有限公司');
      await inTenant(f, collegeA, () =>
        f.query(`UPDATE pilot_application_programmes SET partners = $2 WHERE application_id = $1`, [
          applicationId,
          JSON.stringify([{ enterpriseId, qualificationAttachmentIds: [], agreementId: null }]),
        ]),
      );
      const mentor = await f.member('province-expert');
      await f.addMembership(mentor.userId, 'enterprise-mentor', { tenantId: collegeB, enterpriseId });
      const res2 = await post(`/pilot-applications/${applicationId}/experts`, admin, { expertUserId: mentor.userId });
      expect(res2.status).toBe(422);
      expect(res2.body.code).toBe('PILOTS.EXPERT_CONFLICT');
      const en = await post(`/pilot-applications/${applicationId}/experts`, admin, { expertUserId: mentor.userId }).set('Accept-Language', 'en');
      expect(en.body.title).toContain('Conflict of interest');

      // not an expert at all
      const viewerUser = await f.member('province-viewer');
      const notExpert = await post(`/pilot-applications/${applicationId}/experts`, admin, { expertUserId: viewerUser.userId });
      expect(notExpert.body.code).toBe('PILOTS.EXPERT_NOT_FOUND');
      // nothing was assigned; an unlinked expert is
      expect((await get(`/pilot-applications/${applicationId}`, admin).expect(200)).body.experts).toEqual([]);
      const ok = await post(`/pilot-applications/${applicationId}/experts`, admin, { expertUserId }).expect(200);
      expect(ok.body.experts.map((e: any) => e.expertUserId)).toEqual([expertUserId]);
    });
  });

  describe('R-APP-5 public-notice end date (statutory calendar)', () => {
    /** A batch published on `publishedOn` with one approved programme written directly. */
    async function publish(publishedOn: string) {
      const { itemId } = await applicationRow(f, collegeB, { status: 'decided', stage: 'approved' });
      const res = await post('/publicity-batches', admin, { title: '公示', publishedOn, applicationProgrammeIds: [itemId] });
      if (res.status !== 201) throw new Error(`batch: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    }

    it.each([
      // 2025 National Day (10-01…10-08 off; Sun 09-28 and Sat 10-11 worked)
      ['2025-09-26', '2025-10-10', 'R-APP-5 2025 National Day: Sun 09-28 counts, 10-01…10-08 do not'],
      ['2025-09-30', '2025-10-14', 'R-APP-5 2025 National Day: Sat 10-11 counts, Sun 10-12 does not'],
      // 2025 Spring Festival (01-28…02-04 off; Sun 01-26 and Sat 02-08 worked)
      ['2025-01-24', '2025-02-07', 'R-APP-5 2025 Spring Festival: Sun 01-26 counts, 01-28…02-04 do not'],
      ['2025-02-05', '2025-02-11', 'R-APP-5 2025 Spring Festival: Sat 02-08 counts'],
      // 2026 Spring Festival (02-15…02-23 off; Sat 02-14 and Sat 02-28 worked)
      ['2026-02-11', '2026-02-25', 'R-APP-5 2026 Spring Festival: Sat 02-14 counts, 02-15…02-23 do not'],
      ['2026-02-24', '2026-03-02', 'R-APP-5 2026 Spring Festival: Sat 02-28 counts, Sun 03-01 does not'],
      // 2026 National Day (10-01…10-07 off; Sun 09-20 and Sat 10-10 worked)
      ['2026-09-28', '2026-10-10', 'R-APP-5 2026 National Day: the window ends on the worked Saturday 10-10'],
      ['2026-09-18', '2026-09-24', 'R-APP-5 2026: Sun 09-20 (worked for National Day) counts'],
    ])('%s → %s (%s)', async (publishedOn, endsOn) => {
      const b = await publish(publishedOn);
      expect(b).toMatchObject({ publishedOn, computedEndsOn: endsOn, endsOn, provisional: false, provisionalYears: [] });
      expect(b.endsAt).toBe(new Date(Date.parse(`${endsOn}T00:00:00+08:00`) + 86_400_000).toISOString());
    });

    it('R-APP-5 a window through a provisional year is flagged, cannot be announced until a province admin confirms the end date (audited)', async () => {
      await t.http().put(api('/reference/calendar/2094')).set(bearer(admin)).send({ status: 'provisional', days: [{ date: '2094-01-01', kind: 'holiday', name: '元旦' }] }).expect(200);
      // Mon 2093-12-28: 29, 30, 31 Dec (2093 not entered: weekday rule), Fri 01-01 holiday, Mon 01-04, Tue 01-05
      const b = await publish('2093-12-28');
      expect(b).toMatchObject({ computedEndsOn: '2094-01-05', endsOn: '2094-01-05', provisional: true, provisionalYears: [2093, 2094] });
      const refused = await post(`/publicity-batches/${b.id}/announcement`, admin);
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('PILOTS.WINDOW_PROVISIONAL');
      expect(refused.body.title).toContain('2093、2094');
      const stale = await t.http().patch(api(`/publicity-batches/${b.id}/end-date`)).set(bearer(admin)).send({ endsOn: '2094-01-06', reason: '核定', version: b.version + 1 });
      expect(stale.status).toBe(409);
      const adjusted = await t.http().patch(api(`/publicity-batches/${b.id}/end-date`)).set(bearer(admin)).send({ endsOn: '2094-01-06', reason: '国务院 2094 年放假安排公布后核定', version: b.version }).expect(200);
      expect(adjusted.body).toMatchObject({ computedEndsOn: '2094-01-05', endsOn: '2094-01-06', provisional: false, endAdjustReason: '国务院 2094 年放假安排公布后核定' });
      const audit = await f.provinceQuery(`SELECT before, after FROM audit_log WHERE entity = 'pilot-publicity-batch' AND entity_id = $1 AND action = 'adjust-end'`, [b.id]);
      expect(audit.rows).toEqual([{ before: { endsOn: '2094-01-05', provisional: true }, after: { endsOn: '2094-01-06', reason: '国务院 2094 年放假安排公布后核定', provisional: false } }]);
      // the colleges may not adjust it
      await t.http().patch(api(`/publicity-batches/${b.id}/end-date`)).set(bearer(staffB)).send({ endsOn: '2094-01-07', reason: 'x', version: 2 }).expect(403);
    });
  });
  it('bad input answers 4xx problem+json in Chinese (English on request) and changes nothing', async () => {
    const before = (await f.provinceQuery('SELECT (SELECT count(*) FROM pilot_notices)::int AS n, (SELECT count(*) FROM pilot_publicity_batches)::int AS b')).rows[0];
    const badDate = await post('/pilot-notices', admin, { year: THIS_YEAR, title: '通知', requirements: '要求', materials: ['方案'], deadline: '2026-02-30', collegeIds: [collegeA] });
    expect(badDate.status).toBe(400);
    expect(badDate.headers['content-type']).toContain('application/problem+json');
    expect(badDate.body.errors.map((e: any) => e.field)).toEqual(['deadline']);
    const unknown = await post('/pilot-notices', admin, { year: THIS_YEAR, title: '通知', requirements: '要求', materials: ['方案'], deadline: daysFromToday(5), status: 'open' });
    expect(unknown.status).toBe(400);
    const en = await post('/publicity-batches', admin, { title: '公示', publishedOn: 'yesterday', applicationProgrammeIds: ['not-a-uuid'] }).set('Accept-Language', 'en');
    expect(en.status).toBe(400);
    expect(en.body.errors.map((e: any) => e.field).sort()).toEqual(['applicationProgrammeIds', 'publishedOn']);
    expect(en.body.title).toMatch(/[A-Za-z]/);
    await get('/pilot-applications/not-a-uuid', admin).expect(404);
    await get('/publicity-batches/00000000-0000-4000-8000-000000000000', admin).expect(404);
    const scores = await post('/pilot-applications/00000000-0000-4000-8000-000000000000/reviews', expert, { applicationProgrammeId: '00000000-0000-4000-8000-000000000000', scores: [1, 2], comments: '好', recommendation: 'maybe' });
    expect(scores.status).toBe(400);
    expect(scores.body.errors.map((e: any) => e.field).sort()).toEqual(['recommendation', 'scores']);
    const after = (await f.provinceQuery('SELECT (SELECT count(*) FROM pilot_notices)::int AS n, (SELECT count(*) FROM pilot_publicity_batches)::int AS b')).rows[0];
    expect(after).toEqual(before);
  });
});

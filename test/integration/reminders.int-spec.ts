import { Test, TestingModule } from '@nestjs/testing';
import { Job, Queue, Worker } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { Client, Pool, PoolClient } from 'pg';
import { AppConfig } from '../../config/app-config';
import { ConfigModule } from '../../config/config.module';
import { addMonths } from '../../modules/cohorts';
import { NotificationsService, NotifyInput } from '../../modules/notifications';
import { REMINDER_SINK, ReminderNotifyInput, RemindersJobsModule, RemindersProcessor, RemindersService, sendDueJobId } from '../../modules/reminders';
import { DatabaseModule } from '../../src/database/database.module';
import { QueueModule, QueueRegistry, QUEUES } from '../../src/queue';
import { RedisModule } from '../../src/redis/redis.module';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { TenancyModule } from '../../src/tenancy/tenancy.module';
import { chinaDaysFromToday } from '../../src/time/china-date';
import { IdentityFactory } from '../factories/identity.factory';
import { describeTables, insertRow, ROW_OVERRIDES, RowContext, TableInfo } from '../factories/tenant-rows';
import { appPool, asTenant, ownerClient } from '../setup/db';

// Real Redis under a prefix of this file's own.
process.env.REDIS_URL ??= 'redis://127.0.0.1:6379';
process.env.QUEUE_PREFIX = `jrm${randomBytes(4).toString('hex')}`;

const DAY_MS = 86_400_000;
const shift = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
/** A China instant on a day (10:00 in Shanghai). */
const at = (day: string) => `${day}T10:00:00+08:00`;
/** The first Monday at least `n` days from the clock's today (weekly reminders go out on Mondays by default). */
function mondayFrom(n: number): string {
  let d = chinaDaysFromToday(n);
  while (new Date(`${d}T00:00:00Z`).getUTCDay() !== 1) d = shift(d, 1);
  return d;
}

async function waitFor<T>(read: () => Promise<T> | T, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last = await read();
  while (!ok(last)) {
    if (Date.now() > until) throw new Error(`condition not met in ${timeoutMs} ms; last value ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await read();
  }
  return last;
}

/** In front of the notifications module: records what was handed over for delivery, with a switch to fail once. */
class RecordingSink {
  constructor(private readonly notifications: NotificationsService) {}
  readonly delivered: ReminderNotifyInput[] = [];
  /** the next delivery for this college fails once */
  failOnceFor: string | null = null;
  failures = 0;
  async notify(input: ReminderNotifyInput): Promise<{ created: number }> {
    if (this.failOnceFor && input.tenantId === this.failOnceFor) {
      this.failOnceFor = null;
      this.failures += 1;
      throw new Error('delivery failed (test)');
    }
    const result = await this.notifications.notify(input as NotifyInput);
    this.delivered.push(input);
    return result;
  }
}

describe('reminders (issue 13): what is due, on its day, delivered once', () => {
  let moduleRef: TestingModule;
  let service: RemindersService;
  let tenantContext: TenantContext;
  let sink: RecordingSink;
  let pool: Pool;
  let owner: Client;
  let f: IdentityFactory;
  let tables: Map<string, TableInfo>;
  let config: AppConfig;

  /** Inserts a row of a tenant table with the given values; the factory fills (and builds parents for) the rest. */
  async function make(ctx: RowContext, table: string, values: Record<string, unknown>): Promise<Record<string, any>> {
    const previous = ROW_OVERRIDES[table];
    ROW_OVERRIDES[table] = async (c) => ({ ...(previous ? await previous(c) : {}), ...values });
    try {
      return await insertRow(ctx, table);
    } finally {
      if (previous) ROW_OVERRIDES[table] = previous;
      else delete ROW_OVERRIDES[table];
    }
  }

  async function inTenant<T>(tenantId: string, fn: (ctx: RowContext) => Promise<T>): Promise<T> {
    return asTenant(pool, { tenantId }, (tx: PoolClient) => fn({ tenantId, tx, owner, tables }));
  }

  const run = (tenantId: string, day: string) => tenantContext.runAsTenant(tenantId, () => service.sendDueForCollege(day));
  const runProvince = (day: string) => tenantContext.runAsProvinceSystem(() => service.sendDueForProvince(day));
  /** Deliveries of one subject, as "variant@day → recipients". */
  const deliveriesOf = (subjectId: string) =>
    sink.delivered
      .filter((d) => d.dedupeKey.split(':')[1] === subjectId)
      .map((d) => `${d.kind}:${d.dedupeKey.split(':')[2]}@${d.dedupeKey.split(':')[3]}`);
  const daysWith = async (tenantId: string | null, subjectId: string, days: string[]) => {
    for (const day of days) await (tenantId ? run(tenantId, day) : runProvince(day));
    return deliveriesOf(subjectId);
  };

  /** A college with an admin, a staff member, an enterprise with its admin and mentor, and a started cohort. */
  async function college() {
    const tenantId = await f.tenant({ name: `提醒测试学院${randomBytes(2).toString('hex')}` });
    const enterpriseId = await f.enterprise();
    const admin = await f.member('college-admin', { tenantId });
    const staff = await f.member('college-staff', { tenantId });
    const entAdmin = await f.member('enterprise-admin', { tenantId, enterpriseId });
    const entMentorUser = await f.member('enterprise-mentor', { tenantId, enterpriseId });
    const collegeMentorUser = await f.member('college-mentor', { tenantId });
    const base = await inTenant(tenantId, async (ctx) => {
      const cohort = await make(ctx, 'cohorts', { name: '2025级数控加工技师班', status: 'started', started_at: new Date() });
      const collegeMentor = await make(ctx, 'staff_members', { side: 'college', name: '陈老师', user_id: collegeMentorUser.userId });
      const enterpriseMentor = await make(ctx, 'staff_members', { side: 'enterprise', enterprise_id: enterpriseId, name: '黄师傅', user_id: entMentorUser.userId });
      return { cohort, collegeMentor, enterpriseMentor };
    });
    return { tenantId, enterpriseId, admin, staff, entAdmin, entMentorUser, collegeMentorUser, ...base };
  }
  type College = Awaited<ReturnType<typeof college>>;

  async function student(ctx: RowContext, c: College, values: Record<string, unknown> = {}) {
    return make(ctx, 'students', { cohort_id: c.cohort.id, programme_id: c.cohort.programme_id, status: 'enrolled', enrolled_on: chinaDaysFromToday(-400), left_on: null, ...values });
  }
  async function pair(ctx: RowContext, c: College, studentId: string, sides: ('college' | 'enterprise')[] = ['college', 'enterprise']) {
    for (const side of sides) {
      const staffId = side === 'college' ? c.collegeMentor.id : c.enterpriseMentor.id;
      await make(ctx, 'mentorships', { student_id: studentId, side, staff_member_id: staffId, started_on: chinaDaysFromToday(-30), ended_on: null, end_reason: null });
    }
  }
  async function placement(ctx: RowContext, c: College, studentId: string, values: Record<string, unknown>) {
    return make(ctx, 'placements', { student_id: studentId, enterprise_id: c.enterpriseId, stage_index: 0, stage_name: '数控车床操作实践', ...values });
  }

  beforeAll(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, DatabaseModule, TenancyModule, RedisModule, QueueModule, RemindersJobsModule],
    })
      .overrideProvider(REMINDER_SINK)
      .useFactory({ factory: (n: NotificationsService) => new RecordingSink(n), inject: [NotificationsService] })
      .compile();
    await moduleRef.init();
    sink = moduleRef.get(REMINDER_SINK);
    service = moduleRef.get(RemindersService);
    tenantContext = moduleRef.get(TenantContext);
    config = moduleRef.get(AppConfig);
    pool = appPool(4);
    owner = await ownerClient();
    f = await IdentityFactory.open();
    const found = await owner.query(
      `SELECT DISTINCT c.relname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attname = 'tenant_id' AND NOT a.attisdropped AND c.relname NOT IN ('memberships')`,
    );
    tables = await describeTables(owner, found.rows.map((r) => r.relname));
  });

  afterAll(async () => {
    for (const q of moduleRef?.get(QueueRegistry).all() ?? []) await q.obliterate({ force: true }).catch(() => undefined);
    await moduleRef?.close();
    await pool?.end();
    await owner?.end();
    await f?.close();
  });

  it('R-APP-1 notice deadline: the addressed college admin on 7 and 2 days before, not the days around them', async () => {
    const c = await college();
    const deadline = chinaDaysFromToday(40);
    const notice = await f.provinceQuery(
      `INSERT INTO pilot_notices (year, title, requirements, materials, review_criteria, deadline) VALUES (2026, '关于申报学制技师培养试点的通知', '要求', '[]', '[]', $1) RETURNING id`,
      [deadline],
    );
    const noticeId = notice.rows[0].id;
    await f.provinceQuery(`INSERT INTO pilot_notice_recipients (notice_id, college_id, eligible) VALUES ($1, $2, true)`, [noticeId, c.tenantId]);
    const days = [8, 7, 6, 3, 2, 1].map((n) => shift(deadline, -n));
    expect(await daysWith(c.tenantId, noticeId, days)).toEqual([
      `reminder.notice-deadline:7d@${shift(deadline, -7)}`,
      `reminder.notice-deadline:2d@${shift(deadline, -2)}`,
    ]);
    const sent = sink.delivered.filter((d) => d.dedupeKey.includes(noticeId));
    expect(sent.every((d) => d.recipientUserIds.join() === c.admin.userId)).toBe(true);
    expect(sent[0].title).toContain('关于申报学制技师培养试点的通知');
    expect(sent[0].body).toContain(deadline);
    expect(sent[0].link).toBe(`/pilot-notices/${noticeId}`);
  });

  it('R-APP-5 public-notice window: province admins the day before it ends and the day after it ended, not otherwise', async () => {
    const provinceAdmin = await f.member('province-admin');
    const endsOn = chinaDaysFromToday(50);
    const batch = await f.provinceQuery(
      `INSERT INTO pilot_publicity_batches (title, published_on, computed_ends_on, ends_on, provisional) VALUES ('2026年学制技师试点专业公示', $1, $2, $2, false) RETURNING id`,
      [shift(endsOn, -7), endsOn],
    );
    const batchId = batch.rows[0].id;
    expect(await daysWith(null, batchId, [-2, -1, 0, 1, 2].map((n) => shift(endsOn, n)))).toEqual([
      `reminder.public-notice-ending:ending@${shift(endsOn, -1)}`,
      `reminder.public-notice-ending:ended@${shift(endsOn, 1)}`,
    ]);
    const sent = sink.delivered.filter((d) => d.dedupeKey.includes(batchId));
    expect(sent.every((d) => d.tenantId === null && d.recipientUserIds.includes(provinceAdmin.userId))).toBe(true);
    expect(sent[0].title).toContain('2026年学制技师试点专业公示');
  });

  it('R-TRN-3 students without a complete 1+1 pair: college staff, on the weekly day only', async () => {
    const c = await college();
    await inTenant(c.tenantId, async (ctx) => {
      const paired = await student(ctx, c, { name: '李明' });
      await pair(ctx, c, paired.id as string);
      const half = await student(ctx, c, { name: '王芳' });
      await pair(ctx, c, half.id as string, ['college']);
      await student(ctx, c, { name: '张伟' });
    });
    const monday = mondayFrom(3);
    expect(await daysWith(c.tenantId, c.cohort.id, [shift(monday, -1), monday, shift(monday, 1)])).toEqual([`reminder.mentor-pair-missing:weekly@${monday}`]);
    const sent = sink.delivered.find((d) => d.dedupeKey.includes(c.cohort.id))!;
    expect(sent.recipientUserIds.sort()).toEqual([c.admin.userId, c.staff.userId].sort());
    expect(sent.title).toContain('2名学生未配齐双导师');
    expect(sent.body).toContain('王芳');
    expect(sent.body).toContain('张伟');
    expect(sent.body).not.toContain('李明');
  });

  it('R-TRN-4 practice hours at risk: both mentors, for the lagging stage only (the practice module rule)', async () => {
    const c = await college();
    const monday = mondayFrom(3);
    const { lagging, onTrack } = await inTenant(c.tenantId, async (ctx) => {
      const s1 = await student(ctx, c, { name: '赵磊' });
      await pair(ctx, c, s1.id as string);
      // 10 of 20 days gone, nothing confirmed: 50 points behind (> 20)
      const lagging = await placement(ctx, c, s1.id as string, { planned_hours: 100, starts_on: shift(monday, -9), ends_on: shift(monday, 10) });
      const s2 = await student(ctx, c, { name: '孙丽' });
      await pair(ctx, c, s2.id as string);
      // 10 of 20 days gone, 8 of 10 hours confirmed: ahead
      const onTrack = await placement(ctx, c, s2.id as string, { planned_hours: 10, starts_on: shift(monday, -9), ends_on: shift(monday, 10) });
      await make(ctx, 'practice_hours_entries', {
        placement_id: onTrack.id, student_id: s2.id, work_date: shift(monday, -5), starts_at: '08:00', ends_at: '16:00',
        status: 'confirmed', decided_by: c.enterpriseMentor.id, decided_at: new Date(), rejection_reason: null,
      });
      return { lagging, onTrack };
    });
    await run(c.tenantId, monday);
    expect(deliveriesOf(lagging.id)).toEqual([`reminder.practice-hours-at-risk:weekly@${monday}`]);
    expect(deliveriesOf(onTrack.id)).toEqual([]);
    const sent = sink.delivered.find((d) => d.dedupeKey.includes(lagging.id))!;
    expect(sent.recipientUserIds.sort()).toEqual([c.collegeMentorUser.userId, c.entMentorUser.userId].sort());
    expect(sent.title).toContain('赵磊');
  });

  it('R-TRN-4 waiting on the enterprise mentor: the mentor after more than 3 days, the enterprise admin after more than 7', async () => {
    const c = await college();
    const since = chinaDaysFromToday(20);
    const entry = await inTenant(c.tenantId, async (ctx) => {
      const s = await student(ctx, c, { name: '周强' });
      await pair(ctx, c, s.id as string);
      const p = await placement(ctx, c, s.id as string, { planned_hours: 200, starts_on: shift(since, -30), ends_on: shift(since, 60) });
      return make(ctx, 'practice_hours_entries', {
        placement_id: p.id, student_id: s.id, work_date: since, starts_at: '08:00', ends_at: '12:00',
        status: 'pending', decided_by: null, decided_at: null, rejection_reason: null, created_at: at(since),
      });
    });
    expect([config.REMINDER_MENTOR_WAIT_DAYS, config.REMINDER_ESCALATE_WAIT_DAYS]).toEqual([3, 7]);
    await daysWith(c.tenantId, 'none', [3, 4, 5, 7, 8, 9].map((n) => shift(since, n)));
    const toMentor = sink.delivered.filter((d) => d.kind === 'reminder.awaiting-mentor' && d.dedupeKey.includes(c.enterpriseMentor.id));
    expect(toMentor.map((d) => d.dedupeKey.split(':')[3])).toEqual([shift(since, 4)]);
    expect(toMentor[0].recipientUserIds).toEqual([c.entMentorUser.userId]);
    expect(toMentor[0].body).toContain('周强');
    const escalated = sink.delivered.filter((d) => d.kind === 'reminder.awaiting-mentor-escalated' && d.dedupeKey.includes(c.enterpriseId));
    expect(escalated.map((d) => d.dedupeKey.split(':')[3])).toEqual([shift(since, 8)]);
    expect(escalated[0].recipientUserIds).toEqual([c.entAdmin.userId]);
    expect(escalated[0].body).toContain('黄师傅');
    expect(entry.id).toBeDefined();
  });

  it('R-TRN-4 a stage ended without its assessment: the enterprise mentor the day after and a week after', async () => {
    const c = await college();
    const endsOn = chinaDaysFromToday(15);
    const p = await inTenant(c.tenantId, async (ctx) => {
      const s = await student(ctx, c, { name: '吴敏' });
      await pair(ctx, c, s.id as string);
      return placement(ctx, c, s.id as string, { planned_hours: 80, starts_on: shift(endsOn, -40), ends_on: endsOn });
    });
    expect(await daysWith(c.tenantId, p.id, [0, 1, 2, 6, 7, 8].map((n) => shift(endsOn, n)))).toEqual([
      `reminder.stage-assessment-missing:1d@${shift(endsOn, 1)}`,
      `reminder.stage-assessment-missing:7d@${shift(endsOn, 7)}`,
    ]);
    expect(sink.delivered.find((d) => d.dedupeKey.includes(p.id))!.recipientUserIds).toEqual([c.entMentorUser.userId]);
  });

  it('R-TRN-1 an agreement expiring in 60 days: college staff and the enterprise admin, on that day only', async () => {
    const c = await college();
    const termEnd = chinaDaysFromToday(90);
    const agreement = await inTenant(c.tenantId, async (ctx) => {
      const partnership = await make(ctx, 'partnerships', { programme_id: c.cohort.programme_id, enterprise_id: c.enterpriseId, status: 'active' });
      const file = await make(ctx, 'attachments', {});
      return make(ctx, 'agreements', {
        partnership_id: partnership.id, enterprise_party_name: '广州精密数控有限公司', status: 'signed', signed_on: chinaDaysFromToday(-300),
        signed_file_attachment_id: file.id, term_start: chinaDaysFromToday(-300), term_end: termEnd,
      });
    });
    expect(await daysWith(c.tenantId, agreement.id, [61, 60, 59].map((n) => shift(termEnd, -n)))).toEqual([`reminder.agreement-expiring:60d@${shift(termEnd, -60)}`]);
    const sent = sink.delivered.find((d) => d.dedupeKey.includes(agreement.id))!;
    expect(sent.recipientUserIds.sort()).toEqual([c.admin.userId, c.staff.userId, c.entAdmin.userId].sort());
    expect(sent.title).toContain('广州精密数控有限公司');
  });

  it('R-EVA-2 a non-compliant team: the college admin, on the weekly day only', async () => {
    const c = await college();
    const team = await inTenant(c.tenantId, (ctx) => make(ctx, 'teams', { programme_id: c.cohort.programme_id, name: '数控教学和考评团队' }));
    const monday = mondayFrom(3);
    expect(await daysWith(c.tenantId, team.id, [monday, shift(monday, 1)])).toEqual([`reminder.team-non-compliant:weekly@${monday}`]);
    const sent = sink.delivered.find((d) => d.dedupeKey.includes(team.id))!;
    expect(sent.recipientUserIds).toEqual([c.admin.userId]);
    expect(sent.body).toContain('30%');
  });

  it('R-EVA-4 graduate follow-up: college staff 6 and 12 months after graduation, not the days around', async () => {
    const c = await college();
    const graduatedOn = chinaDaysFromToday(-10);
    await inTenant(c.tenantId, (ctx) => student(ctx, c, { name: '郑洁', status: 'graduated', left_on: graduatedOn }));
    const six = addMonths(graduatedOn, 6);
    const twelve = addMonths(graduatedOn, 12);
    expect(await daysWith(c.tenantId, c.cohort.id, [shift(six, -1), six, shift(six, 1), shift(twelve, -1), twelve, shift(twelve, 1)])).toEqual([
      `reminder.graduate-follow-up:6m@${six}`,
      `reminder.graduate-follow-up:12m@${twelve}`,
    ]);
    const sent = sink.delivered.find((d) => d.dedupeKey.includes(c.cohort.id))!;
    expect(sent.recipientUserIds.sort()).toEqual([c.admin.userId, c.staff.userId].sort());
    expect(sent.body).toContain('郑洁');
  });

  it('R-GOV-3 an evaluation scheduled, a week before it, and concluded: the college admin', async () => {
    const c = await college();
    const created = chinaDaysFromToday(5);
    const evaluation = await inTenant(c.tenantId, (ctx) =>
      make(ctx, 'pilot_evaluations', { programme_id: c.cohort.programme_id, kind: 'mid-term', scheduled_on: shift(created, 20), status: 'scheduled', created_at: at(created) }),
    );
    const concluded = await inTenant(c.tenantId, (ctx) =>
      make(ctx, 'pilot_evaluations', {
        programme_id: c.cohort.programme_id, kind: 'mid-term', scheduled_on: created, status: 'concluded', conclusion: 'pass', concluded_on: created,
        reason: '通过', kpi_snapshot: '{}', checklist_scores: '{}', created_at: at(shift(created, -30)),
      }),
    );
    expect(await daysWith(c.tenantId, evaluation.id, [0, 1, 2, 12, 13, 14].map((n) => shift(created, n)))).toEqual([
      `reminder.evaluation:scheduled@${shift(created, 1)}`,
      `reminder.evaluation:upcoming@${shift(created, 13)}`,
    ]);
    expect(deliveriesOf(concluded.id)).toEqual([`reminder.evaluation:concluded@${shift(created, 1)}`]);
    expect(sink.delivered.find((d) => d.dedupeKey.includes(concluded.id))!.recipientUserIds).toEqual([c.admin.userId]);
  });

  it('the same day run again (a retry, a manual run, a second worker) delivers nothing more', async () => {
    const c = await college();
    const team = await inTenant(c.tenantId, (ctx) => make(ctx, 'teams', { programme_id: c.cohort.programme_id, name: '重复运行团队' }));
    const monday = mondayFrom(3);
    const results = await Promise.all([run(c.tenantId, monday), run(c.tenantId, monday), run(c.tenantId, monday)]);
    expect(results.map((r) => r.delivered).sort()).toEqual([0, 0, 1]);
    expect((await run(c.tenantId, monday)).delivered).toBe(0);
    expect(deliveriesOf(team.id)).toEqual([`reminder.team-non-compliant:weekly@${monday}`]);
    const rows = await f.provinceQuery(`SELECT count(*)::int AS n FROM reminder_deliveries WHERE tenant_id = $1 AND subject_id = $2`, [c.tenantId, team.id]);
    expect(rows.rows[0].n).toBe(1);
  });

  describe('jobs on BullMQ (real Redis)', () => {
    let queue: Queue;
    let secondWorker: Worker;
    const processedBy: string[] = [];

    beforeAll(async () => {
      queue = moduleRef.get(QueueRegistry).get(QUEUES.reminders);
      const processor = moduleRef.get(RemindersProcessor);
      // The module's own worker is the first; this is a second worker on the same queue (as a second worker process would be).
      secondWorker = new Worker(
        QUEUES.reminders,
        async (job: Job) => {
          processedBy.push(`second:${job.id}`);
          return processor.process(job);
        },
        { connection: { url: process.env.REDIS_URL, maxRetriesPerRequest: null }, prefix: process.env.QUEUE_PREFIX, concurrency: 4 },
      );
      await secondWorker.waitUntilReady();
    });

    afterAll(async () => {
      await secondWorker?.close();
    });

    it('two workers running the same due day at once deliver every reminder exactly once', async () => {
      const c = await college();
      const monday = mondayFrom(10);
      const subjects = await inTenant(c.tenantId, async (ctx) => {
        const team = await make(ctx, 'teams', { programme_id: c.cohort.programme_id, name: '并发测试团队' });
        await student(ctx, c, { name: '并发学生' });
        const partnership = await make(ctx, 'partnerships', { programme_id: c.cohort.programme_id, enterprise_id: c.enterpriseId, status: 'active' });
        const file = await make(ctx, 'attachments', {});
        const agreement = await make(ctx, 'agreements', {
          partnership_id: partnership.id, status: 'signed', signed_on: chinaDaysFromToday(-10), signed_file_attachment_id: file.id,
          term_start: chinaDaysFromToday(-10), term_end: shift(monday, 60),
        });
        return [team.id, c.cohort.id, agreement.id] as string[];
      });
      const expected = [
        `reminder.team-non-compliant:weekly@${monday}`,
        `reminder.mentor-pair-missing:weekly@${monday}`,
        `reminder.agreement-expiring:60d@${monday}`,
      ];
      // Two fan-outs (as two schedulers would) and the college's job added under its id and under others
      // (a manual re-run, a replayed enqueue): the due day is processed by both workers at once.
      const jobs = await queue.addBulk([
        { name: 'reminders.fan-out', data: { tenantId: null, day: monday }, opts: { jobId: `fanout-a-${monday}` } },
        { name: 'reminders.fan-out', data: { tenantId: null, day: monday }, opts: { jobId: `fanout-b-${monday}` } },
        ...[1, 2, 3, 4, 5, 6].map((i) => ({ name: 'reminders.send-due', data: { tenantId: c.tenantId, day: monday }, opts: { jobId: `rerun-${i}-${c.tenantId}-${monday}` } })),
        { name: 'reminders.send-due', data: { tenantId: c.tenantId, day: monday }, opts: { jobId: sendDueJobId(c.tenantId, monday) } },
      ]);
      for (const job of jobs) await waitFor(() => queue.getJobState(job.id!), (s) => s === 'completed');
      await waitFor(() => queue.getJobState(sendDueJobId(c.tenantId, monday)), (s) => s === 'completed');

      const got = subjects.flatMap(deliveriesOf).sort();
      expect(got).toEqual([...expected].sort());
      // each recipient once per reminder, in the sink and in the table
      const perRecipient = sink.delivered
        .filter((d) => subjects.some((s) => d.dedupeKey.includes(s)))
        .flatMap((d) => d.recipientUserIds.map((u) => `${u}|${d.dedupeKey}`));
      expect(new Set(perRecipient).size).toBe(perRecipient.length);
      const rows = await f.provinceQuery(
        `SELECT recipient_user_id, dedupe_key, count(*)::int AS n FROM reminder_deliveries WHERE tenant_id = $1 GROUP BY 1, 2`,
        [c.tenantId],
      );
      expect(rows.rows.length).toBe(perRecipient.length);
      expect(rows.rows.every((r) => r.n === 1)).toBe(true);
      // and one notification per recipient and reminder in the notifications module
      const inbox = await f.provinceQuery(
        `SELECT recipient_user_id, dedupe_key, count(*)::int AS n FROM notifications WHERE tenant_id = $1 GROUP BY 1, 2`,
        [c.tenantId],
      );
      expect(inbox.rows.length).toBe(perRecipient.length);
      expect(inbox.rows.every((r) => r.n === 1)).toBe(true);
      // both workers took part
      expect(processedBy.some((p) => p.startsWith('second:'))).toBe(true);
      const completed = await Promise.all(jobs.map((j) => queue.getJob(j.id!)));
      expect(completed.some((j) => j && !processedBy.includes(`second:${j.id}`))).toBe(true);
      // the fan-outs added the college's job once, under its deterministic id
      expect(await queue.getJob(sendDueJobId(c.tenantId, monday))).toBeDefined();
    });

    it('a job whose delivery failed is retried and the reminder goes out once', async () => {
      const c = await college();
      const monday = mondayFrom(17);
      const team = await inTenant(c.tenantId, (ctx) => make(ctx, 'teams', { programme_id: c.cohort.programme_id, name: '重试测试团队' }));
      sink.failOnceFor = c.tenantId;
      const job = await queue.add('reminders.send-due', { tenantId: c.tenantId, day: monday }, { jobId: sendDueJobId(c.tenantId, monday), attempts: 3, backoff: { type: 'fixed', delay: 200 } });
      await waitFor(() => queue.getJobState(job.id!), (s) => s === 'completed');
      const done = await queue.getJob(job.id!);
      expect(sink.failures).toBe(1);
      expect(done!.attemptsMade).toBe(2);
      expect(deliveriesOf(team.id)).toEqual([`reminder.team-non-compliant:weekly@${monday}`]);
      // the same job id added again (a replayed fan-out) is the same, completed job: nothing more is sent
      await queue.add('reminders.send-due', { tenantId: c.tenantId, day: monday }, { jobId: sendDueJobId(c.tenantId, monday) });
      expect(await queue.getJobState(job.id!)).toBe('completed');
      const rows = await f.provinceQuery(`SELECT count(*)::int AS n FROM reminder_deliveries WHERE tenant_id = $1`, [c.tenantId]);
      expect(rows.rows[0].n).toBe(sink.delivered.filter((d) => d.tenantId === c.tenantId).reduce((n, d) => n + d.recipientUserIds.length, 0));
    });
  });
});

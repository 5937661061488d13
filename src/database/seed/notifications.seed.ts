import { EntityManager } from 'typeorm';
import type { NotificationKind } from '../../../modules/notifications';
import { DEMO_COLLEGES, DEMO_PROVINCE_USERS, DemoUser, loginOf } from './demo-data';
import { SeedContext, SeedStep } from './seed-context';

interface DemoNotification {
  kind: NotificationKind;
  title: string;
  body: string;
  link: string;
}

/** What a college admin finds unread on the first start. */
const FOR_COLLEGE_ADMIN = (college: string): DemoNotification[] => [
  {
    kind: 'pilot-event',
    title: '试点申报被退回修改',
    body: `${college}的学制技师试点申报中有专业被退回修改，请按评审意见修改后重新提交。`,
    link: '/api/v1/pilot-applications',
  },
  {
    kind: 'reminder.agreement-expiring',
    title: '合作协议即将到期',
    body: '与合作企业签订的校企合作协议将在 60 天内到期，请及时与企业商议续签。',
    link: '/api/v1/partnerships',
  },
  {
    kind: 'reminder.team-non-compliant',
    title: '教学团队不达标',
    body: '有教学团队的企业兼职教师比例低于要求，请补充企业导师后重新核验。',
    link: '/api/v1/teams',
  },
];

const FOR_COLLEGE_STAFF: DemoNotification[] = [
  {
    kind: 'reminder.mentor-pair-missing',
    title: '"1+1"导师未配齐',
    body: '本校有学制技师班学生尚未同时配备校内导师和企业导师，请尽快完成分配。',
    link: '/api/v1/mentorships',
  },
  {
    kind: 'reminder.graduate-follow-up',
    title: '毕业生跟踪回访到期',
    body: '有毕业生已到毕业后 6 个月的回访节点，请登记其就业情况。',
    link: '/api/v1/students',
  },
];

const FOR_PROVINCE: DemoNotification[] = [
  {
    kind: 'reminder.public-notice-ending',
    title: '试点名单公示期即将结束',
    body: '本批学制技师试点名单的公示期将于 2 天后结束，请及时处理收到的异议。',
    link: '/api/v1/publicity-batches',
  },
];

/**
 * Issue 13 demo: a few unread notifications in the inboxes of the demo logins (college
 * admins and staff, the province admin), so `GET /notifications` shows something on the
 * first start. Idempotent: the inbox is unique on (recipient, dedupe key).
 */
export const notificationsSeed: SeedStep = {
  name: 'notifications',
  async run(ctx: SeedContext) {
    const put = async (m: EntityManager, user: DemoUser, tenantId: string | null, items: DemoNotification[]) => {
      const userId = ctx.ids.users.get(loginOf(user));
      if (!userId) return;
      for (const n of items) {
        const r = await m.queryRunner!.query(
          `INSERT INTO notifications (tenant_id, recipient_user_id, kind, title, body, link, dedupe_key)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (recipient_user_id, dedupe_key) DO NOTHING`,
          [tenantId, userId, n.kind, n.title, n.body, n.link, `demo:${n.kind}`],
          true,
        );
        ctx.count('notifications', r.affected ?? 0);
      }
    };
    for (const c of DEMO_COLLEGES) {
      const tenantId = ctx.ids.tenants.get(c.code);
      if (!tenantId) continue;
      await ctx.tx({ tenantId }, async (m) => {
        await put(m, c.admin, tenantId, FOR_COLLEGE_ADMIN(c.shortName));
        await put(m, c.staff, tenantId, FOR_COLLEGE_STAFF);
      });
    }
    const admin = DEMO_PROVINCE_USERS.find((u) => u.role === 'province-admin');
    if (admin) {
      await ctx.tx(null, async (m) => {
        // province-level rows; an upsert needs to see its row (RLS: province scope), like runAsProvinceSystem
        await m.query("SELECT set_config('app.scope', 'province', true)");
        await put(m, admin, null, FOR_PROVINCE);
      });
    }
  },
};

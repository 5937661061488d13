import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { CONTROL_PLANE, distributionFindings, tableKinds } from '../../src/database/distribution-rules';
import { ownerClient } from '../setup/db';

/**
 * Issue 14 part 3, Citus readiness (docs/scaling.md): every tenant table can be distributed by
 * tenant_id. The rules are in src/database/distribution-rules.ts; this test reads the catalog
 * after every migration and fails on any finding not listed below with its reason. The list
 * is the "must change" part of docs/scaling.md: fixing one means deleting its line here (a
 * stale entry fails too), a new tenant table that breaks a rule fails at once.
 */
const SWAP = 'created before the rule with PRIMARY KEY (id); UNIQUE (tenant_id, id) already exists (the target of its tenant foreign keys): make that the primary key and drop the old one';
const ADD = 'created before the rule with PRIMARY KEY (id) and no UNIQUE (tenant_id, id) (nothing references it by tenant yet): PRIMARY KEY (tenant_id, id)';

const PROVINCE_ROWS = 'province-level rows have no tenant (tenant_id NULL, as in audit_log), so tenant_id cannot join the primary key: split the province rows into a reference or coordinator-local table first';
const USER_SCOPED =
  "a user's own inbox (RLS by recipient, issue 13): it spans every college the user belongs to and the province, so it is keyed by recipient, not tenant; distribute it by recipient_user_id (co-located with nothing tenant-keyed) or keep it on the coordinator";

const KNOWN_FINDINGS: Record<string, string> = {
  'primary-key reports': PROVINCE_ROWS,
  'primary-key notifications': USER_SCOPED,
  'primary-key notification_deliveries': USER_SCOPED,
  'primary-key direct_messages': USER_SCOPED,
  'unique notifications': USER_SCOPED,
  'tenant-fk notification_deliveries': USER_SCOPED,
  'primary-key agreements': SWAP,
  'primary-key applicants': SWAP,
  'primary-key assessment_results': SWAP,
  'primary-key assessment_sheets': SWAP,
  'primary-key attachments': SWAP,
  'primary-key audit_log': ADD,
  'primary-key certificates': SWAP,
  'primary-key cohorts': SWAP,
  'primary-key college_enterprises': SWAP,
  'primary-key employment_records': SWAP,
  'primary-key enterprise_change_proposals': SWAP,
  'primary-key enterprise_offerings': SWAP,
  'primary-key graduate_follow_ups': SWAP,
  'primary-key guidance_records': SWAP,
  'primary-key mentorships': SWAP,
  'primary-key partnerships': SWAP,
  'primary-key pilot_application_programmes': SWAP,
  'primary-key pilot_applications': SWAP,
  'primary-key pilot_evaluations': ADD,
  'primary-key pilot_experience_reports': ADD,
  'primary-key pilot_expert_assignments': ADD,
  'primary-key pilot_objections': ADD,
  'primary-key pilot_reviews': ADD,
  'primary-key pilot_revocations': ADD,
  'primary-key pilot_site_checks': ADD,
  'primary-key placements': SWAP,
  'primary-key practice_hours_entries': SWAP,
  'primary-key programmes': SWAP,
  'primary-key project_milestones': SWAP,
  'primary-key project_panel_members': SWAP,
  'primary-key projects': SWAP,
  'primary-key staff_members': SWAP,
  'primary-key streaming_decisions': SWAP,
  'primary-key student_imports': SWAP,
  'primary-key student_status_changes': SWAP,
  'primary-key students': SWAP,
  'primary-key team_members': SWAP,
  'primary-key teams': SWAP,
  'primary-key training_plan_decisions': ADD,
  'primary-key training_plan_filings': ADD,
  'primary-key training_plan_reviews': ADD,
  'primary-key training_plans': SWAP,
  'primary-key work_order_events': SWAP,
  'primary-key work_orders': SWAP,
};

describe('distribution rules: every tenant table can be sharded by tenant_id (issue 14, docs/scaling.md)', () => {
  let db: Client;
  beforeAll(async () => {
    db = await ownerClient();
  });
  afterAll(async () => db?.end());

  it('finds the tenant tables and the shared (reference) tables it judges', async () => {
    const kinds = await tableKinds(db);
    expect(kinds.tenant).toEqual(expect.arrayContaining(['students', 'cohorts', 'audit_log', 'practice_hours_entries']));
    expect(kinds.shared).toEqual(expect.arrayContaining(['tenants', 'users', 'enterprises', ...Object.keys(CONTROL_PLANE)]));
    expect(kinds.tenant.filter((t) => kinds.shared.includes(t))).toEqual([]);
  });

  it('no unique index, exclusion constraint or foreign key breaks the rule, and no primary key beyond the listed exceptions', async () => {
    const findings = await distributionFindings(db);
    const unexplained = findings.filter((f) => !KNOWN_FINDINGS[`${f.rule} ${f.table}`]);
    expect(unexplained).toEqual([]);
  });

  it('every listed exception still exists (a fixed table leaves the list)', async () => {
    const found = new Set((await distributionFindings(db)).map((f) => `${f.rule} ${f.table}`));
    expect(Object.keys(KNOWN_FINDINGS).filter((k) => !found.has(k))).toEqual([]);
  });

  it('a new tenant table that breaks each rule is caught (and one that keeps them is not)', async () => {
    const schema = `dist_${randomBytes(4).toString('hex')}`;
    await db.query(`CREATE SCHEMA ${schema}`);
    try {
      await db.query(`
        CREATE EXTENSION IF NOT EXISTS btree_gist;
        CREATE TABLE ${schema}.shared_ref (id uuid PRIMARY KEY);
        CREATE TABLE ${schema}.good (tenant_id uuid NOT NULL, id uuid NOT NULL, code text NOT NULL, ref uuid REFERENCES ${schema}.shared_ref(id),
          PRIMARY KEY (tenant_id, id), UNIQUE (tenant_id, code));
        CREATE TABLE ${schema}.good_child (tenant_id uuid NOT NULL, id uuid NOT NULL, good_id uuid NOT NULL,
          PRIMARY KEY (tenant_id, id), FOREIGN KEY (tenant_id, good_id) REFERENCES ${schema}.good (tenant_id, id));
        CREATE TABLE ${schema}.bad (tenant_id uuid NOT NULL, id uuid PRIMARY KEY, code text NOT NULL UNIQUE, good_id uuid NOT NULL,
          during tstzrange NOT NULL, FOREIGN KEY (good_id) REFERENCES ${schema}.bad (id),
          EXCLUDE USING gist (code WITH =, during WITH &&));
        CREATE TABLE ${schema}.shared_pointing_in (id uuid PRIMARY KEY, tenant uuid, good_id uuid,
          FOREIGN KEY (tenant, good_id) REFERENCES ${schema}.good (tenant_id, id));
      `);
      const findings = await distributionFindings(db, schema);
      expect(findings.map((f) => `${f.rule} ${f.table}`).sort()).toEqual(
        ['exclusion bad', 'primary-key bad', 'shared-to-tenant-fk shared_pointing_in', 'tenant-fk bad', 'unique bad'].sort(),
      );
    } finally {
      await db.query(`DROP SCHEMA ${schema} CASCADE`);
    }
  });
});

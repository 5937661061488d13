import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One rule for "today" in SQL (issue 8): `china_today()` is the China (Asia/Shanghai) date of
 * the injected clock, which the tenant-pinning adapter pins as `app.now` at the start of each
 * transaction; without it (system clock, or outside the app) the database's own now().
 * `CURRENT_DATE` is the session time zone's date (UTC here): between 00:00 and 08:00 China
 * time it was a day late, so a student's stage turned a day late.
 */
export class ChinaToday1764400040000 implements MigrationInterface {
  name = 'ChinaToday1764400040000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION china_today() RETURNS date
      LANGUAGE sql STABLE PARALLEL SAFE
      AS $$ SELECT (COALESCE(NULLIF(current_setting('app.now', true), '')::timestamptz, now()) AT TIME ZONE 'Asia/Shanghai')::date $$`);
    await q.query(`GRANT EXECUTE ON FUNCTION china_today() TO app_user`);
    // Only the date logic changes: every view's own definition is kept, CURRENT_DATE becomes china_today().
    await q.query(rewriteViews('CURRENT_DATE', 'china_today()'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(rewriteViews('china_today()', 'CURRENT_DATE'));
    await q.query('DROP FUNCTION IF EXISTS china_today()');
  }
}

/** Re-creates each public view whose definition contains `from`, with `to` in its place (options kept). */
function rewriteViews(from: string, to: string): string {
  return `DO $do$
    DECLARE v record;
    BEGIN
      FOR v IN SELECT c.oid, c.relname, c.reloptions FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'public' AND c.relkind = 'v' AND pg_get_viewdef(c.oid) LIKE '%${from}%'
      LOOP
        EXECUTE format('CREATE OR REPLACE VIEW %I %s AS %s', v.relname,
          CASE WHEN v.reloptions IS NULL THEN '' ELSE 'WITH (' || array_to_string(v.reloptions, ', ') || ')' END,
          replace(pg_get_viewdef(v.oid), '${from}', '${to}'));
      END LOOP;
    END $do$`;
}

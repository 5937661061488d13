import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Audit retention (QUALITY §4). The runtime role holds no DELETE on audit_log; the one
 * way to remove entries is this SECURITY DEFINER function (on the catalog guard's
 * allow-list), which removes only entries older than the cut-off it is given.
 */
export class AuditRetention1764400003000 implements MigrationInterface {
  name = 'AuditRetention1764400003000';

  async up(q: QueryRunner): Promise<void> {
    // The owner is under FORCE RLS too: deletes need a policy, opened only inside the function.
    await q.query(
      `CREATE POLICY audit_log_retention ON audit_log FOR DELETE USING (current_setting('app.audit_purge', true) = 'on')`,
    );
    await q.query(`
      CREATE FUNCTION purge_audit_log(cutoff timestamptz) RETURNS bigint
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
      DECLARE removed bigint;
              previous_scope text := coalesce(current_setting('app.scope', true), '');
      BEGIN
        IF cutoff > now() - interval '180 days' THEN
          RAISE EXCEPTION 'audit entries are kept at least 180 days (cut-off %)', cutoff USING ERRCODE = '22023';
        END IF;
        -- a DELETE with a WHERE also needs the rows visible: province scope reads every college
        PERFORM set_config('app.audit_purge', 'on', true);
        PERFORM set_config('app.scope', 'province', true);
        DELETE FROM audit_log WHERE occurred_at < cutoff;
        GET DIAGNOSTICS removed = ROW_COUNT;
        PERFORM set_config('app.audit_purge', '', true);
        PERFORM set_config('app.scope', previous_scope, true);
        RETURN removed;
      END $$`);
    await q.query('REVOKE ALL ON FUNCTION purge_audit_log(timestamptz) FROM PUBLIC');
    await q.query('GRANT EXECUTE ON FUNCTION purge_audit_log(timestamptz) TO app_user');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION IF EXISTS purge_audit_log(timestamptz)');
    await q.query('DROP POLICY IF EXISTS audit_log_retention ON audit_log');
  }
}

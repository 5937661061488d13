import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bounded imports (issue 8 items 10 and 14): an import reports the first IMPORT_MAX_ERRORS
 * row errors and, here, how many there were in all; the sweeper finds imports still
 * queued or running (a lost or dead job) through a small partial index.
 */
export class ImportBounds1764400050000 implements MigrationInterface {
  name = 'ImportBounds1764400050000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE student_imports ADD COLUMN error_count integer NOT NULL DEFAULT 0 CHECK (error_count >= 0)`);
    await q.query(`UPDATE student_imports SET error_count = jsonb_array_length(errors)`);
    await q.query(
      `CREATE INDEX student_imports_unfinished_idx ON student_imports (tenant_id, created_at) WHERE status IN ('queued','running')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS student_imports_unfinished_idx`);
    await q.query(`ALTER TABLE student_imports DROP COLUMN IF EXISTS error_count`);
  }
}

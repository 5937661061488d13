import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 9 item 5: the stored masked ID numbers follow the one masking rule (region code
 * and the last two characters: src/privacy/mask.ts). The new form is derived from the old
 * one, so no key is needed. Runs per college with the tenant pinned, as row-level
 * security requires (the owner is subject to FORCE ROW LEVEL SECURITY too).
 */
export class IdNumberMask1764400055000 implements MigrationInterface {
  name = 'IdNumberMask1764400055000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DO $$
      DECLARE t record;
      BEGIN
        FOR t IN SELECT id FROM tenants LOOP
          PERFORM set_config('app.tenant_id', t.id::text, true);
          UPDATE students SET id_number_masked = left(id_number_masked, 6) || '**********' || right(id_number_masked, 2)
            WHERE length(id_number_masked) = 18 AND id_number_masked NOT LIKE '%**********%';
          UPDATE applicants SET id_number_masked = left(id_number_masked, 6) || '**********' || right(id_number_masked, 2)
            WHERE length(id_number_masked) = 18 AND id_number_masked NOT LIKE '%**********%';
        END LOOP;
        PERFORM set_config('app.tenant_id', '', true);
      END $$`);
  }

  async down(): Promise<void> {
    // The dropped digits are gone from the masked column; the encrypted number still holds them.
  }
}

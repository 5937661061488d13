import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The demo seed's marker on the staff it created (issue 8 item 19). A person's name is no
 * stable key: once a user renames a seeded teacher, the next `npm run demo` looked them up by
 * name, missed, and inserted them again (a duplicate key on the linked login). The seed now
 * finds its own rows by `seed_key` and never touches a row without one. NULL for every row
 * the product creates; not part of the API.
 */
export class SeedKeys1764400041000 implements MigrationInterface {
  name = 'SeedKeys1764400041000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE staff_members ADD COLUMN seed_key varchar(160)`);
    await q.query(`CREATE UNIQUE INDEX staff_members_seed_key ON staff_members (tenant_id, seed_key) WHERE seed_key IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS staff_members_seed_key`);
    await q.query(`ALTER TABLE staff_members DROP COLUMN IF EXISTS seed_key`);
  }
}

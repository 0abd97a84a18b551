import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The cosmetics catalogue (classes, brands with their country, which brands each class lists) and each artist's
 * kit. Names are unique among live entries, ignoring case, so a name is looked up the same way it is kept unique;
 * a retired entry keeps its rows (artists' kits refer to it) but leaves the lists.
 */
export class Cosmetics1764503000000 implements MigrationInterface {
  name = 'Cosmetics1764503000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE cosmetics_classes (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name text NOT NULL CHECK (name = btrim(name) AND char_length(name) BETWEEN 1 AND 64),
        position integer NOT NULL,
        retired_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(
      `CREATE UNIQUE INDEX cosmetics_classes_live_name_key ON cosmetics_classes (lower(name)) WHERE retired_at IS NULL`,
    );
    await db.query(`
      CREATE TABLE cosmetics_brands (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name text NOT NULL CHECK (name = btrim(name) AND char_length(name) BETWEEN 1 AND 64),
        country text NOT NULL CHECK (country = btrim(country) AND char_length(country) BETWEEN 1 AND 32),
        retired_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(
      `CREATE UNIQUE INDEX cosmetics_brands_live_name_key ON cosmetics_brands (lower(name)) WHERE retired_at IS NULL`,
    );
    await db.query(`
      CREATE TABLE cosmetics_class_brands (
        class_id bigint NOT NULL REFERENCES cosmetics_classes (id) ON DELETE CASCADE,
        brand_id bigint NOT NULL REFERENCES cosmetics_brands (id) ON DELETE CASCADE,
        PRIMARY KEY (class_id, brand_id)
      )`);
    await db.query(`CREATE INDEX cosmetics_class_brands_brand_idx ON cosmetics_class_brands (brand_id)`);

    // An artist's kit: the classes in the order given, and within each the brands in the order given.
    await db.query(`
      CREATE TABLE artist_cosmetics_classes (
        user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        class_id bigint NOT NULL REFERENCES cosmetics_classes (id),
        position smallint NOT NULL,
        PRIMARY KEY (user_id, class_id)
      )`);
    await db.query(`
      CREATE TABLE artist_cosmetics_brands (
        user_id bigint NOT NULL,
        class_id bigint NOT NULL,
        brand_id bigint NOT NULL REFERENCES cosmetics_brands (id),
        position smallint NOT NULL,
        PRIMARY KEY (user_id, class_id, brand_id),
        FOREIGN KEY (user_id, class_id) REFERENCES artist_cosmetics_classes (user_id, class_id) ON DELETE CASCADE
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'artist_cosmetics_brands',
      'artist_cosmetics_classes',
      'cosmetics_class_brands',
      'cosmetics_brands',
      'cosmetics_classes',
    ]) {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}

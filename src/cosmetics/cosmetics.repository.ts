import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { isUniqueViolation } from '#src/common/database/pg-errors.js';
import { DomainError } from '#src/common/errors/domain-error.js';
import type { CosmeticsSelection } from '#src/cosmetics/cosmetics-info.js';

export interface NamedRow {
  id: string;
  name: string;
}

export interface CatalogueClass {
  id: string;
  name: string;
  position: number;
  retired: boolean;
  /** Live brands the class lists. */
  brandCount: number;
}

export interface CatalogueBrand {
  id: string;
  name: string;
  country: string;
  retired: boolean;
  /** Classes (live or retired) that list the brand. */
  classIds: string[];
}

/** One class of a kit, by id, with its brand ids, in the order to keep. */
export interface KitEntry {
  classId: string;
  brandIds: string[];
}

/** A name taken by another live entry: the partial unique indexes on lower(name) say so. */
function nameTaken(error: unknown): boolean {
  return (
    isUniqueViolation(error, 'cosmetics_classes_live_name_key') ||
    isUniqueViolation(error, 'cosmetics_brands_live_name_key')
  );
}

async function guardNames<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (nameTaken(error)) throw new DomainError('CONFLICT', 'another live entry has this name');
    throw error;
  }
}

const CLASS_COLUMNS = `c.id, c.name, c.position, c.retired_at IS NOT NULL AS retired,
  (SELECT count(*)::int FROM cosmetics_class_brands cb JOIN cosmetics_brands b ON b.id = cb.brand_id
    WHERE cb.class_id = c.id AND b.retired_at IS NULL) AS "brandCount"`;

const BRAND_COLUMNS = `b.id, b.name, b.country, b.retired_at IS NOT NULL AS retired,
  ARRAY(SELECT cb.class_id::text FROM cosmetics_class_brands cb WHERE cb.brand_id = b.id ORDER BY cb.class_id)
    AS "classIds"`;

/** The catalogue and the artists' kits. Names are matched ignoring case, in SQL (as the unique indexes do). */
@Injectable()
export class CosmeticsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async liveClassNames(): Promise<string[]> {
    const rows = await this.dataSource.query<Array<{ name: string }>>(
      `SELECT name FROM cosmetics_classes WHERE retired_at IS NULL ORDER BY position, id`,
    );
    return rows.map((row) => row.name);
  }

  async findLiveClassByName(name: string): Promise<NamedRow | undefined> {
    const rows = await this.dataSource.query<NamedRow[]>(
      `SELECT id, name FROM cosmetics_classes WHERE retired_at IS NULL AND lower(name) = lower($1)`,
      [name.trim()],
    );
    return rows[0];
  }

  /** Live brands a class lists, with their country; countries in catalogue order (their first brand), then brands. */
  async liveBrandsOfClass(classId: string): Promise<Array<{ country: string; name: string }>> {
    return this.dataSource.query(
      `SELECT b.country, b.name
         FROM cosmetics_class_brands cb JOIN cosmetics_brands b ON b.id = cb.brand_id
        WHERE cb.class_id = $1 AND b.retired_at IS NULL
        ORDER BY min(b.id) OVER (PARTITION BY b.country), b.id`,
      [classId],
    );
  }

  /** For each name, the live entry it names (ignoring case), or undefined. */
  async resolveLive(
    table: 'classes' | 'brands',
    names: string[],
  ): Promise<Map<string, NamedRow | undefined>> {
    const rows = await this.dataSource.query<
      Array<{ input: string; id: string | null; name: string | null }>
    >(
      `SELECT i.input, e.id, e.name
         FROM unnest($1::text[]) AS i(input)
         LEFT JOIN ${table === 'classes' ? 'cosmetics_classes' : 'cosmetics_brands'} e
           ON e.retired_at IS NULL AND lower(e.name) = lower(i.input)`,
      [names],
    );
    return new Map(
      rows.map((row) => [row.input, row.id && row.name ? { id: row.id, name: row.name } : undefined]),
    );
  }

  /** The user's row, locked against another replacement of the same kit until the transaction ends. */
  async lockKit(em: EntityManager, userId: string): Promise<void> {
    await em.query(`SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE`, [userId]);
  }

  /** Replaces the user's kit (call it holding `lockKit`). */
  async replaceKit(em: EntityManager, userId: string, kit: KitEntry[]): Promise<void> {
    await em.query(`DELETE FROM artist_cosmetics_classes WHERE user_id = $1`, [userId]);
    if (kit.length === 0) return;
    await em.query(
      `INSERT INTO artist_cosmetics_classes (user_id, class_id, position)
       SELECT $1, class_id, position FROM unnest($2::bigint[]) WITH ORDINALITY AS k(class_id, position)`,
      [userId, kit.map((entry) => entry.classId)],
    );
    const brands = kit.flatMap((entry) =>
      entry.brandIds.map((brandId, position) => ({
        classId: entry.classId,
        brandId,
        position: position + 1,
      })),
    );
    if (brands.length === 0) return;
    await em.query(
      `INSERT INTO artist_cosmetics_brands (user_id, class_id, brand_id, position)
       SELECT $1, class_id, brand_id, position FROM unnest($2::bigint[], $3::bigint[], $4::int[])
         AS k(class_id, brand_id, position)`,
      [userId, brands.map((b) => b.classId), brands.map((b) => b.brandId), brands.map((b) => b.position)],
    );
  }

  /** The user's kit as saved, named as the catalogue names things now. */
  async kitOf(userId: string): Promise<CosmeticsSelection[]> {
    const rows = await this.dataSource.query<Array<{ cosmeticsClass: string; cosmeticsBrand: string[] }>>(
      `SELECT c.name AS "cosmeticsClass",
              ARRAY(SELECT b.name FROM artist_cosmetics_brands ab JOIN cosmetics_brands b ON b.id = ab.brand_id
                     WHERE ab.user_id = ac.user_id AND ab.class_id = ac.class_id ORDER BY ab.position)
                AS "cosmeticsBrand"
         FROM artist_cosmetics_classes ac JOIN cosmetics_classes c ON c.id = ac.class_id
        WHERE ac.user_id = $1
        ORDER BY ac.position`,
      [userId],
    );
    return rows;
  }

  // --- the operators' side ---

  async listClasses(includeRetired: boolean): Promise<CatalogueClass[]> {
    return this.dataSource.query(
      `SELECT ${CLASS_COLUMNS} FROM cosmetics_classes c
        WHERE $1::boolean OR c.retired_at IS NULL ORDER BY c.position, c.id`,
      [includeRetired],
    );
  }

  async findClass(em: EntityManager, id: string): Promise<CatalogueClass | undefined> {
    const rows = await em.query<CatalogueClass[]>(
      `SELECT ${CLASS_COLUMNS} FROM cosmetics_classes c WHERE c.id = $1`,
      [id],
    );
    return rows[0];
  }

  /** The class row, locked for a change. */
  async lockClass(em: EntityManager, id: string): Promise<{ name: string; retired: boolean } | undefined> {
    const rows = await em.query<Array<{ name: string; retired: boolean }>>(
      `SELECT name, retired_at IS NOT NULL AS retired FROM cosmetics_classes WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0];
  }

  async insertClass(em: EntityManager, name: string, now: Date): Promise<string> {
    return guardNames(async () => {
      const rows = await em.query<Array<{ id: string }>>(
        `INSERT INTO cosmetics_classes (name, position, created_at, updated_at)
         VALUES ($1, (SELECT coalesce(max(position), 0) + 1 FROM cosmetics_classes), $2, $2) RETURNING id`,
        [name, now],
      );
      return rows[0].id;
    });
  }

  async updateClass(
    em: EntityManager,
    id: string,
    change: { name?: string; retired?: boolean },
    now: Date,
  ): Promise<void> {
    await guardNames(() =>
      em.query(
        `UPDATE cosmetics_classes
            SET name = coalesce($2, name),
                retired_at = CASE WHEN $3::boolean IS NULL THEN retired_at WHEN $3 THEN $4 ELSE NULL END,
                updated_at = $4
          WHERE id = $1`,
        [id, change.name ?? null, change.retired ?? null, now],
      ),
    );
  }

  async listBrands(filter: { classId?: string; includeRetired: boolean }): Promise<CatalogueBrand[]> {
    return this.dataSource.query(
      `SELECT ${BRAND_COLUMNS} FROM cosmetics_brands b
        WHERE ($1::boolean OR b.retired_at IS NULL)
          AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM cosmetics_class_brands cb
                                              WHERE cb.brand_id = b.id AND cb.class_id = $2::bigint))
        ORDER BY b.id`,
      [filter.includeRetired, filter.classId ?? null],
    );
  }

  async findBrand(em: EntityManager, id: string): Promise<CatalogueBrand | undefined> {
    const rows = await em.query<CatalogueBrand[]>(
      `SELECT ${BRAND_COLUMNS} FROM cosmetics_brands b WHERE b.id = $1`,
      [id],
    );
    return rows[0];
  }

  async lockBrand(
    em: EntityManager,
    id: string,
  ): Promise<{ name: string; country: string; retired: boolean } | undefined> {
    const rows = await em.query<Array<{ name: string; country: string; retired: boolean }>>(
      `SELECT name, country, retired_at IS NOT NULL AS retired FROM cosmetics_brands WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows[0];
  }

  async insertBrand(em: EntityManager, brand: { name: string; country: string }, now: Date): Promise<string> {
    return guardNames(async () => {
      const rows = await em.query<Array<{ id: string }>>(
        `INSERT INTO cosmetics_brands (name, country, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id`,
        [brand.name, brand.country, now],
      );
      return rows[0].id;
    });
  }

  async updateBrand(
    em: EntityManager,
    id: string,
    change: { name?: string; country?: string; retired?: boolean },
    now: Date,
  ): Promise<void> {
    await guardNames(() =>
      em.query(
        `UPDATE cosmetics_brands
            SET name = coalesce($2, name),
                country = coalesce($3, country),
                retired_at = CASE WHEN $4::boolean IS NULL THEN retired_at WHEN $4 THEN $5 ELSE NULL END,
                updated_at = $5
          WHERE id = $1`,
        [id, change.name ?? null, change.country ?? null, change.retired ?? null, now],
      ),
    );
  }

  /** Answers whether the link is new. */
  async link(em: EntityManager, classId: string, brandId: string): Promise<boolean> {
    const rows = await em.query<unknown[]>(
      `INSERT INTO cosmetics_class_brands (class_id, brand_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
      [classId, brandId],
    );
    return rows.length > 0;
  }

  /** Answers whether there was a link. */
  async unlink(em: EntityManager, classId: string, brandId: string): Promise<boolean> {
    const result = await em.query<[unknown[], number]>(
      `DELETE FROM cosmetics_class_brands WHERE class_id = $1 AND brand_id = $2`,
      [classId, brandId],
    );
    return result[1] > 0;
  }

  /** Which of these ids are classes; answers the missing ones. */
  async missingClassIds(em: EntityManager, ids: string[]): Promise<string[]> {
    const rows = await em.query<Array<{ id: string }>>(
      `SELECT i.id::text AS id FROM unnest($1::bigint[]) AS i(id)
        WHERE NOT EXISTS (SELECT 1 FROM cosmetics_classes c WHERE c.id = i.id)`,
      [ids],
    );
    return rows.map((row) => row.id);
  }
}

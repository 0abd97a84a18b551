import { readFile } from 'node:fs/promises';
import type { DataSource } from 'typeorm';

/** Installs bench/seed-feeds.sql's function and seeds `count` feeds over `authors` new star accounts. */
export async function seedFeeds(db: DataSource, count: number, authors = 100): Promise<void> {
  await db.query(await readFile('bench/seed-feeds.sql', 'utf8'));
  await db.query(`SELECT concord_seed_feeds($1, $2)`, [count, authors]);
}

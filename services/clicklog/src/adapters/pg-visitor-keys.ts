import { randomBytes } from "node:crypto";
import type pg from "pg";
import type { VisitorKeys } from "../domain/visitor-hash.js";

/**
 * The daily visitor keys in click_visitor_keys. The first replica that needs
 * a day's key inserts a random one; the others find it (ON CONFLICT DO
 * NOTHING), so every replica hashes a visitor the same way. Keys are cached
 * in memory and dropped from the cache when deleted.
 */
export function createPgVisitorKeys(pool: pg.Pool): VisitorKeys {
  const cache = new Map<string, Buffer>();
  return {
    async keyFor(day) {
      const cached = cache.get(day);
      if (cached !== undefined) return cached;
      const { rows } = await pool.query<{ key: Buffer }>(
        `with created as (
           insert into click_visitor_keys (day, key) values ($1::date, $2) on conflict (day) do nothing returning key
         )
         select key from created union all select key from click_visitor_keys where day = $1::date`,
        [day, randomBytes(32)],
      );
      let key = rows[0]?.key;
      if (key === undefined) {
        // Another replica inserted the day's key after this statement's snapshot was taken: it is committed now.
        const again = await pool.query<{ key: Buffer }>("select key from click_visitor_keys where day = $1::date", [
          day,
        ]);
        key = again.rows[0]?.key;
      }
      if (key === undefined) throw new Error(`no visitor key for ${day}`);
      cache.set(day, key);
      return key;
    },

    async deleteBefore(day) {
      for (const cachedDay of cache.keys()) if (cachedDay < day) cache.delete(cachedDay);
      const { rowCount } = await pool.query("delete from click_visitor_keys where day < $1::date", [day]);
      return rowCount ?? 0;
    },
  };
}

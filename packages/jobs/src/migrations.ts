import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import pg from "pg";

/**
 * Applies services/<service>/migrations/NNNN_name.sql, each file once, each
 * in its own transaction, straight on the primary (not through PgBouncer:
 * the advisory lock below is session state). A file edited after it was
 * applied is refused rather than silently skipped.
 */

interface Migration {
  readonly service: string;
  readonly version: number;
  readonly name: string;
  readonly file: string;
  readonly sql: string;
  readonly checksum: string;
}

const FILE_NAME = /^(\d{4})_([A-Za-z0-9_-]+)\.sql$/;
// Any constant works; it only has to be the same for every run of this job on this database.
const LOCK_KEY = 7_402_154_991;

function serviceNames(servicesDir: string): string[] {
  if (!existsSync(servicesDir)) return [];
  return readdirSync(servicesDir)
    .filter((name) => statSync(path.join(servicesDir, name)).isDirectory())
    .sort();
}

export function findMigrations(servicesDir: string): Migration[] {
  const migrations: Migration[] = [];
  for (const service of serviceNames(servicesDir)) {
    const dir = path.join(servicesDir, service, "migrations");
    if (!existsSync(dir)) continue;
    const seen = new Map<number, string>();
    const files = readdirSync(dir).filter((file) => file.endsWith(".sql"));
    for (const file of files) {
      const match = FILE_NAME.exec(file);
      if (!match) throw new Error(`migration ${path.join(dir, file)}: the name must look like 0001_create_links.sql`);
      const version = Number(match[1]);
      const clash = seen.get(version);
      if (clash !== undefined)
        throw new Error(`migrations ${clash} and ${file} of ${service} share version ${version}`);
      seen.set(version, file);
      const sql = readFileSync(path.join(dir, file), "utf8");
      migrations.push({
        service,
        version,
        name: match[2] as string,
        file: path.join(dir, file),
        sql,
        checksum: createHash("sha256").update(sql).digest("hex"),
      });
    }
  }
  return migrations.sort((a, b) => (a.service === b.service ? a.version - b.version : a.service < b.service ? -1 : 1));
}

function describeFailure(migration: Migration, error: unknown): Error {
  const { message, position } = error as { message?: string; position?: string };
  const offset = Number(position);
  const line =
    Number.isInteger(offset) && offset > 0 ? `:${migration.sql.slice(0, offset - 1).split("\n").length}` : "";
  return new Error(`migration ${migration.file}${line} failed and was rolled back: ${message ?? String(error)}`);
}

/** Applies what is missing on the primary at `connectionString` (also the compose `migrate` job's entry). */
export async function applyMigrations(
  connectionString: string,
  say: (line: string) => void,
  servicesDir: string,
): Promise<void> {
  const migrations = findMigrations(servicesDir);
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000 });
  // A server that goes away mid-run emits 'error'; the pending query rejects anyway.
  client.on("error", () => {});
  await client.connect();
  try {
    // Two runs (two ./kurt up, or a compose job and a test) at once must not both apply a file.
    await client.query("select pg_advisory_lock($1)", [LOCK_KEY]);
    await client.query(`
      create table if not exists kurt_schema_migrations (
        service    text        not null,
        version    integer     not null,
        name       text        not null,
        checksum   text        not null,
        applied_at timestamptz not null default now(),
        primary key (service, version)
      )`);
    const { rows } = await client.query<{ service: string; version: number; checksum: string }>(
      "select service, version, checksum from kurt_schema_migrations",
    );
    const applied = new Map(rows.map((row) => [`${row.service}/${row.version}`, row.checksum]));
    let count = 0;
    for (const migration of migrations) {
      const checksum = applied.get(`${migration.service}/${migration.version}`);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          throw new Error(
            `migration ${migration.file} changed after it was applied; add a new migration instead (or reset the data with ./kurt down --purge)`,
          );
        }
        continue;
      }
      try {
        await client.query("begin");
        await client.query(migration.sql);
        await client.query(
          "insert into kurt_schema_migrations (service, version, name, checksum) values ($1, $2, $3, $4)",
          [migration.service, migration.version, migration.name, migration.checksum],
        );
        await client.query("commit");
      } catch (error) {
        await client.query("rollback").catch(() => {});
        throw describeFailure(migration, error);
      }
      say(`migrations: applied ${migration.service}/${path.basename(migration.file)}`);
      count += 1;
    }
    say(`migrations: ${count} applied, ${migrations.length - count} already in place`);
  } finally {
    await client.end().catch(() => {});
  }
}

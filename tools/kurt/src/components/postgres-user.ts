import { readFileSync } from "node:fs";

/**
 * The system user that Postgres and PgBouncer run as. Both refuse to run as
 * root, so a root launcher switches to `postgres`; any other user runs them
 * as itself (and then owns the data folders itself).
 */
export interface PostgresRunAs {
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
}

const POSTGRES_USER = "postgres";

/** undefined when the launcher is not root and needs no switch of user. */
export function postgresRunAs(): PostgresRunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  let passwd: string;
  try {
    passwd = readFileSync("/etc/passwd", "utf8");
  } catch {
    throw new Error("cannot read /etc/passwd to find the postgres user");
  }
  for (const line of passwd.split("\n")) {
    const [name, , uid, gid, , home] = line.split(":");
    if (name === POSTGRES_USER && uid !== undefined && gid !== undefined) {
      return { uid: Number(uid), gid: Number(gid), home: home || "/" };
    }
  }
  throw new Error(
    `running as root but there is no '${POSTGRES_USER}' system user to run Postgres as; install postgresql-15 (apt-get install postgresql-15)`,
  );
}

/** Options for runCommand / the supervisor that run a program as that user. */
export function runAsOptions(runAs: PostgresRunAs | undefined): {
  uid?: number;
  gid?: number;
  env?: Record<string, string>;
} {
  if (runAs === undefined) return {};
  // HOME would still point at root's home, which libpq would try to read (.pgpass).
  return { uid: runAs.uid, gid: runAs.gid, env: { HOME: runAs.home } };
}

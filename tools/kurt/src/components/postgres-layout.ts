import { spawnSync } from "node:child_process";
import { chownSync, existsSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Paths } from "../paths.js";
import type { PostgresRunAs } from "./postgres-user.js";

/**
 * Where the Patroni members, etcd and PgBouncer keep their files. Normally under the
 * run dir, but the postgres user must be able to traverse every folder above
 * its data, and a checkout under /root (say) is closed to it; then the data
 * moves to a folder of its own under /var/tmp. The choice is recorded in the
 * run dir so that status, stop and purge find it again.
 */
export interface PostgresLayout {
  /** Owned by the postgres user, mode 0700. */
  readonly root: string;
  /** A Patroni member's Postgres data folder. */
  memberDir(member: string): string;
  /** A member's Patroni settings, its HOME and its .pgpass, beside (not in) the data folder Patroni may replace. */
  patroniDir(member: string): string;
  /** Where a member's Postgres puts its Unix socket: its Patroni folder, not the data folder pg_rewind copies. */
  socketDir(member: string): string;
  readonly etcdDir: string;
  readonly pgbouncerDir: string;
}

interface LocationRecord {
  readonly root: string;
  readonly reason: string;
}

// A Unix socket path holds at most 107 bytes, and Postgres puts its sockets in the member's Patroni folder.
const MAX_SOCKET_PATH = 100;

const recordFile = (paths: Paths) => path.join(paths.runDir, "postgres-location.json");
const preferredRoot = (paths: Paths) => path.join(paths.runDir, "postgres");
const fallbackRoot = (paths: Paths) => `/var/tmp/kurt-${paths.checkoutId}`;

function layoutAt(root: string): PostgresLayout {
  return {
    root,
    memberDir: (member) => path.join(root, member),
    patroniDir: (member) => path.join(root, `${member}-patroni`),
    socketDir: (member) => path.join(root, `${member}-patroni`),
    etcdDir: path.join(root, "etcd"),
    pgbouncerDir: path.join(root, "pgbouncer"),
  };
}

/** The recorded layout, or undefined before the first start. */
export function readPostgresLayout(paths: Paths): PostgresLayout | undefined {
  try {
    const record = JSON.parse(readFileSync(recordFile(paths), "utf8")) as LocationRecord;
    return typeof record.root === "string" ? layoutAt(record.root) : undefined;
  } catch {
    return undefined;
  }
}

/** Every folder that `down --purge` must delete (only those that exist). */
export function postgresDataDirs(ctx: { readonly paths: Paths }): string[] {
  const candidates = [readPostgresLayout(ctx.paths)?.root, preferredRoot(ctx.paths), fallbackRoot(ctx.paths)];
  return [...new Set(candidates.filter((dir): dir is string => dir !== undefined && existsSync(dir)))];
}

/** Asks the system itself (ACLs included) rather than reading mode bits of every parent folder. */
function canTraverse(dir: string, runAs: PostgresRunAs): boolean {
  const result = spawnSync("test", ["-x", dir], { uid: runAs.uid, gid: runAs.gid, cwd: "/", stdio: "ignore" });
  return result.status === 0;
}

function makeOwnedDir(dir: string, runAs: PostgresRunAs | undefined): void {
  if (existsSync(dir)) {
    // /var/tmp is shared by every user: never adopt a symlink or someone else's folder.
    const stat = lstatSync(dir);
    const owners = [process.getuid?.(), runAs?.uid].filter((id) => id !== undefined);
    if (!stat.isDirectory() || stat.isSymbolicLink() || !owners.includes(stat.uid)) {
      throw new Error(`${dir} exists but is not a folder owned by the launcher or the postgres user; remove it`);
    }
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (runAs !== undefined) chownSync(dir, runAs.uid, runAs.gid);
}

/** Makes the layout's root folder (owned by the postgres user) and records where it is. */
export async function preparePostgresLayout(
  paths: Paths,
  runAs: PostgresRunAs | undefined,
  say: (line: string) => void,
): Promise<PostgresLayout> {
  const recorded = readPostgresLayout(paths);
  if (recorded !== undefined && existsSync(recorded.root)) {
    makeOwnedDir(recorded.root, runAs);
    return recorded;
  }
  mkdirSync(paths.runDir, { recursive: true });
  let root = preferredRoot(paths);
  let reason = "under the run dir";
  if (path.join(layoutAt(root).socketDir("postgres-9"), ".s.PGSQL.65535.lock").length > MAX_SOCKET_PATH) {
    root = fallbackRoot(paths);
    reason = `${paths.runDir} is too deep for Postgres's Unix socket paths`;
  } else if (runAs !== undefined && !canTraverse(paths.runDir, runAs)) {
    root = fallbackRoot(paths);
    reason = `the postgres user cannot traverse ${paths.runDir}`;
  }
  if (root !== preferredRoot(paths)) say(`postgres: data goes to ${root} (${reason})`);
  makeOwnedDir(root, runAs);
  const record: LocationRecord = { root, reason };
  writeFileSync(recordFile(paths), `${JSON.stringify(record, null, 2)}\n`);
  return layoutAt(root);
}

/** A Patroni member's data folder in a started stack (its postmaster.pid names the postmaster), if any. */
export function postgresMemberDir(paths: Paths, member: string): string | undefined {
  return readPostgresLayout(paths)?.memberDir(member);
}

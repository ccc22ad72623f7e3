import path from "node:path";
import type { Topology } from "@kurt/topology";

/**
 * PgBouncer 1.18's configuration: one pooled name per Postgres node (both
 * the same real database), transaction pooling, and the app user's scram
 * secret copied from pg_authid so that PgBouncer can prove it to Postgres
 * without holding the clear-text password.
 */

export interface PgBouncerFiles {
  readonly iniFile: string;
  readonly authFile: string;
  readonly ini: string;
  readonly userlist: string;
}

const SIMPLE_NAME = /^[A-Za-z0-9_]+$/;

function simpleName(what: string, name: string): string {
  // Such names need no quoting in pgbouncer.ini, where quoting rules are thin.
  if (!SIMPLE_NAME.test(name))
    throw new Error(`${what} ${JSON.stringify(name)} must match ${SIMPLE_NAME} for PgBouncer`);
  return name;
}

const quoted = (value: string) => `"${value.replace(/"/g, '""')}"`;

/** Seconds a server connection lives before PgBouncer replaces it (see the ini's comment). */
export const PGBOUNCER_SERVER_LIFETIME_S = 60;

export function renderPgBouncerFiles(dir: string, topology: Topology, scramSecret: string): PgBouncerFiles {
  const { host, postgres, pgbouncer } = topology;
  const database = simpleName("database", postgres.database);
  const user = simpleName("user", postgres.user);
  const authFile = path.join(dir, "userlist.txt");
  const ini = `;; Written by the Kurt launcher on every start; edits are overwritten.
[databases]
${simpleName("database", pgbouncer.primaryDatabase)} = host=${host} port=${postgres.primaryPort} dbname=${database}
${simpleName("database", pgbouncer.replicaDatabase)} = host=${host} port=${postgres.replicaPort} dbname=${database}

[pgbouncer]
listen_addr = ${host}
listen_port = ${pgbouncer.port}
;; TCP only: no socket file to place, nothing left behind in /tmp.
unix_socket_dir =
auth_type = scram-sha-256
auth_file = ${authFile}
admin_users = ${user}
stats_users = ${user}
pool_mode = transaction
;; After a server comes back (a restarted replica), use it within a second,
;; not after the default 15 s of refusing every client of that database.
server_login_retry = 1
;; While no replica is healthy (a failover, a re-clone) the router sends reads
;; to the leader; such a server connection would stay there for the default
;; hour. Recycled after a minute, reads are back on a replica within one.
server_lifetime = ${PGBOUNCER_SERVER_LIFETIME_S}
max_client_conn = 1000
default_pool_size = 20
;; Sent by JDBC, psql and others at connect; harmless to drop.
ignore_startup_parameters = extra_float_digits
;; Stderr is the supervisor's log file.
logfile =
pidfile =
`;
  return {
    iniFile: path.join(dir, "pgbouncer.ini"),
    authFile,
    ini,
    userlist: `${quoted(user)} ${quoted(scramSecret)}\n`,
  };
}

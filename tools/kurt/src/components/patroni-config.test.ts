import { allPorts, loadTopology } from "@kurt/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { PATRONI_TIMING, REPLICATION_USER, renderPatroniConfig } from "./patroni-config.js";

// biome-ignore lint/suspicious/noExplicitAny: walking Patroni's untyped YAML shape
type Loose = any;

const topology = loadTopology({ KURT_PORT_BASE: "31000" });
const secrets = { superuser: "s".repeat(64), replication: "r".repeat(64) };
const render = (index: number): Loose => {
  const member = topology.postgres.members[index];
  if (member === undefined) throw new Error(`no member ${index}`);
  const files = { dataDir: `/data/${member.name}`, pgpass: "/p/pgpass", socketDir: `/p/${member.name}` };
  return renderPatroniConfig(topology, member, files, secrets);
};

test("three members, each with its own name, Postgres port and REST port, on ports no other part uses", () => {
  const members = topology.postgres.members;
  assert.is(members.length, 3);
  const configs = members.map((_, i) => render(i));
  assert.equal(
    configs.map((c) => c.name),
    members.map((m) => m.name),
  );
  assert.equal(
    configs.map((c) => c.postgresql.listen),
    members.map((m) => `127.0.0.1:${m.port}`),
  );
  assert.equal(
    configs.map((c) => c.restapi.listen),
    members.map((m) => `127.0.0.1:${m.restPort}`),
  );
  const ports = allPorts(topology);
  assert.is(new Set(ports).size, ports.length, "no two parts share a port");
});

test("every member joins the same cluster through the one etcd, over the v3 API", () => {
  for (const config of [render(0), render(1), render(2)]) {
    assert.is(config.scope, topology.postgres.cluster);
    assert.equal(config.etcd3, { hosts: `127.0.0.1:${topology.etcd.clientPort}` });
    assert.is(config.etcd, undefined, "etcd 3.4 has the v2 API off");
  }
});

test("an acknowledged commit is on two members, and a failed leader is replaced within seconds and rejoins", () => {
  const dcs = render(0).bootstrap.dcs;
  assert.is(dcs.synchronous_mode, true);
  assert.is(dcs.synchronous_mode_strict, false, "a lone leader keeps taking writes");
  assert.is(dcs.postgresql.use_pg_rewind, true);
  assert.is(dcs.failsafe_mode, true, "losing etcd alone does not demote the leader");
  assert.is(dcs.postgresql.parameters.wal_log_hints, "on", "pg_rewind needs it");
  assert.is(dcs.primary_start_timeout, 0, "a crashed leader is failed over, not restarted in place");
  assert.ok(dcs.loop_wait + 2 * dcs.retry_timeout <= dcs.ttl, "Patroni's timing rule");
  assert.equal(PATRONI_TIMING.ttl, dcs.ttl);
});

test("passwords come from the secrets given, the superuser's socket needs none, TCP always proves scram", () => {
  const { postgresql } = render(1);
  assert.equal(postgresql.authentication.superuser, { username: "postgres", password: secrets.superuser });
  assert.equal(postgresql.authentication.replication, { username: REPLICATION_USER, password: secrets.replication });
  for (const line of postgresql.pg_hba as string[]) {
    if (line.startsWith("host")) assert.ok(line.endsWith("scram-sha-256"), line);
    else assert.ok(line.startsWith("local"), line);
  }
  // pg_rewind copies every file of the leader's data folder, and a socket cannot be read: it is kept out.
  assert.is(postgresql.parameters.unix_socket_directories, "/p/postgres-2", "the socket sits in its own folder");
  assert.not.ok(postgresql.parameters.unix_socket_directories.startsWith(postgresql.data_dir));
});

test.run();

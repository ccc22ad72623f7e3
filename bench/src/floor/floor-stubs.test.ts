import { HTTP_HEALTH_PATH, loadTopology } from "@kurt/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { FLOOR_LOCATION, type FloorStubs, floorPorts, startFloorStubs } from "./floor-stubs.js";
import { readyPort } from "./stub-process.js";

const topology = loadTopology({ KURT_PORT_BASE: "30000" });
let stubs: FloorStubs;

test.before(async () => {
  // Any free ports: a bench may be running at the default ones.
  stubs = await startFloorStubs(topology, { httpPort: 0 });
});

test.after(async () => {
  await stubs.stop();
});

test("the floor's port sits in the port base's range, clear of the topology's", () => {
  assert.equal(floorPorts(topology), { httpPort: 30961 });
  assert.is(readyPort("ready 30960\n"), 30960);
  assert.is(readyPort("ready 309"), 309);
  assert.is(readyPort("listening"), undefined);
});

test("the HTTP stub answers anything as the resolver answers a redirect: an empty 302 to the fixed location", async () => {
  const url = `http://${topology.host}:${stubs.ports.httpPort}`;
  for (const method of ["GET", "HEAD"]) {
    const response = await fetch(`${url}/__floor-http/bench-000001?x=1`, { method, redirect: "manual" });
    assert.is(response.status, 302);
    assert.is(response.headers.get("location"), FLOOR_LOCATION);
    assert.is(response.headers.get("cache-control"), "private, no-store");
    assert.is(response.headers.get("content-length"), "0");
    // Envoy keeps its upstream connections (undici itself closes after a HEAD).
    if (method === "GET") assert.is(response.headers.get("connection"), "keep-alive");
    assert.is(await response.text(), "");
  }
  // Envoy health-checks it as it checks the resolvers' HTTP listeners.
  const health = await fetch(`${url}${HTTP_HEALTH_PATH}`);
  assert.is(health.status, 200);
  await health.arrayBuffer();
});

test("the stub is a process of its own, stopped by its pid", async () => {
  const pids = [...stubs.processes.values()];
  assert.equal([...stubs.processes.keys()], ["stub-http"]);
  assert.ok(pids.every((pid) => pid !== process.pid));
  await stubs.stop();
  for (const pid of pids) assert.throws(() => process.kill(pid, 0), /ESRCH/);
});

test.run();

import { credentials, Metadata } from "@grpc/grpc-js";
import { LOCATION_KEY, REDIRECT_STATUS_KEY, type ResolveResponse, ResolverServiceClient } from "@kurt/contract";
import { checkHealth } from "@kurt/platform";
import { loadTopology } from "@kurt/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { FLOOR_LOCATION, type FloorStubs, floorPorts, startFloorStubs } from "./floor-stubs.js";
import { readyPort } from "./stub-process.js";

const topology = loadTopology({ KURT_PORT_BASE: "30000" });
let stubs: FloorStubs;

test.before(async () => {
  // Any free ports: a bench may be running at the default ones.
  stubs = await startFloorStubs(topology, { grpcPort: 0, httpPort: 0 });
});

test.after(async () => {
  await stubs.stop();
});

test("the floor's ports sit in the port base's range, clear of the topology's", () => {
  assert.equal(floorPorts(topology), { grpcPort: 30960, httpPort: 30961 });
  assert.is(readyPort("ready 30960\n"), 30960);
  assert.is(readyPort("ready 309"), 309);
  assert.is(readyPort("listening"), undefined);
});

test("the HTTP stub answers anything with an empty 302 to the fixed location", async () => {
  const response = await fetch(`http://${topology.host}:${stubs.ports.httpPort}/__floor-http/bench-000001?x=1`, {
    redirect: "manual",
  });
  assert.is(response.status, 302);
  assert.is(response.headers.get("location"), FLOOR_LOCATION);
  assert.is(await response.text(), "");
});

test("the gRPC stub answers Resolve as the resolver does, and is SERVING for Envoy's checks", async () => {
  const address = `${topology.host}:${stubs.ports.grpcPort}`;
  assert.is(await checkHealth(address), "SERVING");
  assert.is(await checkHealth(address, "kurt.v1.ResolverService"), "SERVING");
  const client = new ResolverServiceClient(address, credentials.createInsecure());
  try {
    const { response, headers } = await new Promise<{ response: ResolveResponse; headers: Metadata }>(
      (resolve, reject) => {
        let headers = new Metadata();
        const call = client.resolve({ code: "anything" }, (error, response) =>
          error || response === undefined ? reject(error) : resolve({ response, headers }),
        );
        call.on("metadata", (received) => {
          headers = received;
        });
      },
    );
    assert.is(response.url, FLOOR_LOCATION);
    assert.is(response.redirectStatus, 302);
    assert.equal(headers.get(LOCATION_KEY), [FLOOR_LOCATION]);
    assert.equal(headers.get(REDIRECT_STATUS_KEY), ["302"]);
  } finally {
    client.close();
  }
});

test("each stub is a process of its own, stopped by its pid", async () => {
  const pids = [...stubs.processes.values()];
  assert.equal([...stubs.processes.keys()], ["stub-grpc", "stub-http"]);
  assert.ok(pids.every((pid) => pid !== process.pid));
  await stubs.stop();
  for (const pid of pids) assert.throws(() => process.kill(pid, 0), /ESRCH/);
});

test.run();

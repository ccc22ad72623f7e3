import { test } from "uvu";
import * as assert from "uvu/assert";
import { allPorts, loadTopology } from "./topology.js";

test("default ports avoid the standard ones and never collide", () => {
  const t = loadTopology({});
  const ports = allPorts(t);
  assert.is(new Set(ports).size, ports.length, "every port is distinct");
  for (const standard of [5432, 6379, 9092, 8080, 80, 443, 9901])
    assert.not.ok(ports.includes(standard), `${standard} unused`);
});

test("KURT_PORT_BASE moves every port and replicas follow their variables", () => {
  const t = loadTopology({ KURT_PORT_BASE: "30000", KURT_RESOLVER_REPLICAS: "3" });
  assert.is(t.envoy.httpPort, 30080);
  assert.equal(t.services.resolver.grpcPorts, [30200, 30201, 30202]);
  assert.is(t.services.shortener.grpcPorts.length, 2);
});

test("a malformed value names the variable", () => {
  assert.throws(() => loadTopology({ KURT_PORT_BASE: "abc" }), /KURT_PORT_BASE must be a whole number/);
  assert.throws(() => loadTopology({ KURT_CLICKLOG_REPLICAS: "0" }), /KURT_CLICKLOG_REPLICAS must be between 1 and 9/);
});

test.run();

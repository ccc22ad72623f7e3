import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadTopology } from "@kurt/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { assertOutsideEphemeralRange } from "./port-range.js";

const dir = mkdtempSync(path.join(tmpdir(), "kurt-ports-"));
const rangeFile = path.join(dir, "ip_local_port_range");
writeFileSync(rangeFile, "32768\t60999\n");
test.after(() => rmSync(dir, { recursive: true, force: true }));

test("the default base stays below the usual ephemeral range", () => {
  assertOutsideEphemeralRange(loadTopology({}), rangeFile);
});

test("a base inside the ephemeral range is refused with the variable and the range named", () => {
  assert.throws(
    () => assertOutsideEphemeralRange(loadTopology({ KURT_PORT_BASE: "38000" }), rangeFile),
    /KURT_PORT_BASE=38000 puts ports 38432, 38433, 38434, … in the system's ephemeral range 32768-60999/,
  );
});

test("a base whose highest ports reach into the range is refused too", () => {
  assert.throws(
    () => assertOutsideEphemeralRange(loadTopology({ KURT_PORT_BASE: "32100" }), rangeFile),
    /ports 32801, 32802, 32803, … in the system.s ephemeral range 32768-60999/,
  );
});

test.run();

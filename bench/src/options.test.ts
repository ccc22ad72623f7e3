import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseOptions } from "./options.js";

test("the floor runs by default, with --quick, and alone with the ceiling", () => {
  assert.ok(parseOptions([])?.scenarios.includes("floor"));
  assert.ok(parseOptions(["--quick"])?.scenarios.includes("floor"));
  assert.equal(parseOptions(["--scenario", "floor"])?.scenarios, ["ceiling", "floor"]);
  assert.equal(parseOptions(["--scenario=hot,floor"])?.scenarios, ["ceiling", "floor", "hot"]);
});

test("the fixed-rate latency runs by default, and alone with the ceiling but without hot", () => {
  assert.ok(parseOptions([])?.scenarios.includes("latency-fixed"));
  assert.equal(parseOptions(["--scenario", "latency-fixed"])?.scenarios, ["ceiling", "latency-fixed"]);
  assert.equal(parseOptions(["--scenario", "latency"])?.scenarios, ["ceiling", "hot", "latency"]);
});

test.run();

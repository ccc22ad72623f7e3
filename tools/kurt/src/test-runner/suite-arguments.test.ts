import { test } from "uvu";
import * as assert from "uvu/assert";
import { suiteArguments } from "./suite-arguments.js";

test("a folder, a pattern and any number of ignores", () => {
  assert.equal(suiteArguments([".", "\\.test\\.ts$", "-i", "^\\.kurt", "-i", "^tests/"]), {
    dir: ".",
    pattern: "\\.test\\.ts$",
    ignore: ["^\\.kurt", "^tests/"],
  });
  assert.equal(suiteArguments(["tests", "x"]), { dir: "tests", pattern: "x", ignore: [] });
});

test("anything else is refused, naming it", () => {
  assert.throws(() => suiteArguments(["."]), /usage/);
  assert.throws(() => suiteArguments([".", "x", "--bail"]), /--bail/);
  assert.throws(() => suiteArguments([".", "x", "-i"]), /-i/);
});

test.run();

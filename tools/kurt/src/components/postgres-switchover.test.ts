import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseSwitchoverArgs } from "./postgres-switchover.js";

test("no arguments: the synchronous standby is the target", () => {
  assert.equal(parseSwitchoverArgs([]), {});
});

test("--to MEMBER and --to=MEMBER name the target", () => {
  assert.equal(parseSwitchoverArgs(["--to", "postgres-3"]), { to: "postgres-3" });
  assert.equal(parseSwitchoverArgs(["--to=postgres-2"]), { to: "postgres-2" });
});

test("anything else is refused with the arguments named", () => {
  for (const args of [["--to"], ["--to", "--force"], ["postgres-2"], ["--to", "a", "b"], ["--bogus"], ["--to="]]) {
    const parsed = parseSwitchoverArgs(args);
    assert.type(parsed, "string", JSON.stringify(args));
    assert.match(parsed as string, /unexpected arguments/);
  }
});

test.run();

import { test } from "uvu";
import * as assert from "uvu/assert";
import { sparkline, table } from "./link-commands-format.js";

test("a sparkline scales to the largest value", () => {
  assert.is(sparkline([0, 1, 2, 4, 8]), "▁▂▃▅█");
  assert.is(sparkline([0, 0, 0]), "▁▁▁");
  assert.is(sparkline([]), "");
});

test("a table pads every column but the last and leaves no trailing blanks", () => {
  assert.is(
    table([
      ["a", "bb", ""],
      ["ccc", "d", "e"],
    ]),
    "a    bb\nccc  d   e",
  );
});

test.run();

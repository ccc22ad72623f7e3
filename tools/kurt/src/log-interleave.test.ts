import { test } from "uvu";
import * as assert from "uvu/assert";
import { byTime } from "./commands.js";

test("lines of several logs are put in the order of their time field; lines without one keep their place first", () => {
  const a = ['{"time":"2026-11-27T10:00:01.000Z","msg":"a1"}', '{"time":"2026-11-27T10:00:03.000Z","msg":"a2"}'];
  const b = ["not json", '{"time":"2026-11-27T10:00:02.000Z","msg":"b1"}'];
  assert.equal(
    byTime([...a, ...b]).map((line) => (line.startsWith("{") ? JSON.parse(line).msg : line)),
    ["not json", "a1", "b1", "a2"],
  );
});

test.run();

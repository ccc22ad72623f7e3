import { test } from "uvu";
import * as assert from "uvu/assert";
import { createProgress } from "./progress-bar.js";

function clocked(isTTY: boolean) {
  let now = 0;
  let written = "";
  const progress = createProgress({ isTTY, columns: 80, write: (text) => (written += text) }, 1_000, {
    now: () => now,
    plainEveryMs: 5_000,
  });
  return {
    progress,
    at: (ms: number) => {
      now = ms;
    },
    written: () => written,
  };
}

test("without a terminal: a plain line every interval and a last one at the end, never a bar", () => {
  const p = clocked(false);
  for (let done = 1; done <= 1_000; done++) {
    p.at(done * 10);
    p.progress.update(done);
  }
  p.progress.finish();
  assert.equal(p.written().split("\n"), ["import: 500/1,000 50% 100/s", "import: 1,000/1,000 100% 100/s", ""]);
});

test("on a terminal: a bar redrawn in place at most every 100 ms, then a newline", () => {
  const p = clocked(true);
  for (let done = 1; done <= 1_000; done++) {
    p.at(done);
    p.progress.update(done);
  }
  p.progress.finish();
  const frames = p
    .written()
    .split("\r\x1b[2K")
    .filter((frame) => frame !== "");
  assert.is(frames.length, 11, "one frame at the start, one per 100 ms, one at the end");
  assert.match(frames.at(-1) ?? "", /^import \[█{40}\] 1,000\/1,000 100% 1,000\/s\n$/);
  assert.match(frames[4] ?? "", /^import \[█{16}░{24}\] 401\/1,000 40% /);
});

test.run();

import { Readable } from "node:stream";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFirstLine } from "./read-first-line.js";

const from = (...chunks: string[]) => Readable.from(chunks);

test("the first line, without \\n or \\r\\n, even when it arrives in pieces", async () => {
  assert.is(await readFirstLine(from("open sesame\nsecond line\n")), "open sesame");
  assert.is(await readFirstLine(from("open sesame\r\n")), "open sesame");
  assert.is(await readFirstLine(from("open ", "ses", "ame\nrest")), "open sesame");
});

test("a last line without a line break counts; blanks inside the line are kept", async () => {
  assert.is(await readFirstLine(from("  two words ")), "  two words ");
});

test("an empty line is empty; no input at all is undefined", async () => {
  assert.is(await readFirstLine(from("\n")), "");
  assert.is(await readFirstLine(from()), undefined);
});

test.run();

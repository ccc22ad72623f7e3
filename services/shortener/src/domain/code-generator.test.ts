import {
  CUSTOM_CODE_PATTERN,
  GENERATED_CODE_ALPHABET,
  GENERATED_CODE_LENGTH,
  isReservedCode,
} from "@kurt/core/link-code";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createCodeGenerator } from "./code-generator.js";

test("generated codes are 7 characters of [0-9A-Za-z]", () => {
  const generate = createCodeGenerator();
  for (let i = 0; i < 2_000; i++) {
    const code = generate();
    assert.match(code, /^[0-9A-Za-z]{7}$/);
    assert.ok(CUSTOM_CODE_PATTERN.test(code), "a generated code can be looked up like any code");
  }
  assert.is(GENERATED_CODE_ALPHABET.length, 62);
  assert.is(new Set(GENERATED_CODE_ALPHABET).size, 62);
  assert.is(GENERATED_CODE_LENGTH, 7);
});

test("every character of the alphabet is used, each about equally often", () => {
  const generate = createCodeGenerator();
  const counts = new Map<string, number>();
  const draws = 20_000;
  for (let i = 0; i < draws; i++) for (const char of generate()) counts.set(char, (counts.get(char) ?? 0) + 1);
  assert.is(counts.size, 62);
  const expected = (draws * 7) / 62;
  for (const [char, count] of counts) {
    // ±20% around ~2,258 is > 9 standard deviations: a real bias would show, chance would not.
    assert.ok(Math.abs(count - expected) < expected * 0.2, `${char} drawn ${count} times, expected about ${expected}`);
  }
});

test("bytes that would bias the draw (248 to 255) are skipped, not folded", () => {
  // 248 % 62 === 0 would be "0" if folded; the generator must skip it.
  const bytes = [248, 249, 255, 0, 1, 61, 62, 123, 247, 10];
  let offset = 0;
  const generate = createCodeGenerator((size) => {
    const chunk = new Uint8Array(size);
    for (let i = 0; i < size; i++) chunk[i] = bytes[(offset + i) % bytes.length] as number;
    offset += size;
    return chunk;
  });
  assert.is(generate(), "01z0zzA");
});

test("a draw that spells a reserved word is drawn again", () => {
  const spell = (word: string) => Uint8Array.from([...word].map((char) => GENERATED_CODE_ALPHABET.indexOf(char)));
  const draws = [spell("healthz"), spell("metrics"), spell("abcdefg")];
  const generate = createCodeGenerator(() => {
    const next = draws.shift();
    if (next === undefined) throw new Error("the generator asked for more randomness than expected");
    return next;
  });
  assert.ok(isReservedCode("healthz") && isReservedCode("metrics"));
  assert.is(generate(), "abcdefg");
});

test.run();

import { test } from "uvu";
import * as assert from "uvu/assert";
import { acceptedLanguages, MAX_HEADER_CHARS, MAX_RANGES } from "./rule-visitor-languages.js";

const accepted = (header: string | undefined) => [...acceptedLanguages(header)].sort();

test("the primary subtags a browser's header names, with or without qualities and regions", () => {
  assert.equal(accepted("de-AT,de;q=0.9,en;q=0.5"), ["de", "en"]);
  assert.equal(accepted("en-US,en;q=0.9"), ["en"]);
  assert.equal(accepted("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5"), ["de", "en", "fr"]);
  assert.equal(accepted("zh-Hant-TW"), ["zh"]);
  assert.equal(accepted("sgn-BE-FR"), ["sgn"]);
});

test("subtags are compared without regard to case", () => {
  assert.equal(accepted("DE-at, EN;Q=0.5"), ["de", "en"]);
});

test("q=0 means not acceptable; another range of the same language can still accept it", () => {
  assert.equal(accepted("de;q=0, en"), ["en"]);
  assert.equal(accepted("de;q=0.000"), []);
  assert.equal(accepted("de-CH;q=0, de;q=0.3"), ["de"]);
  assert.equal(accepted("de;q=0, de-AT"), ["de"]);
  assert.equal(accepted("de;q=0.001"), ["de"]);
  assert.equal(accepted("de;q=1.000, en;q=1"), ["de", "en"]);
});

test("* names no language, whatever its quality", () => {
  assert.equal(accepted("*"), []);
  assert.equal(accepted("*;q=0.1, en"), ["en"]);
});

test("a missing or empty header accepts nothing", () => {
  assert.equal(accepted(undefined), []);
  assert.equal(accepted(""), []);
  assert.equal(accepted(" , ,, "), []);
});

test("spaces around ranges, separators and parameters are allowed", () => {
  assert.equal(accepted("  de ;  q=0.8 ,\ten\t"), ["de", "en"]);
});

test("malformed ranges and qualities are skipped, the rest still counts", () => {
  assert.equal(accepted("de;q=2, en;q=0.5"), ["en"]);
  assert.equal(accepted("de;q=1.5, en"), ["en"]);
  assert.equal(accepted("de;q=0.1234, en"), ["en"]);
  assert.equal(accepted("de;q=, en"), ["en"]);
  assert.equal(accepted("de;q=abc, en"), ["en"]);
  assert.equal(accepted("de;q=-1, en"), ["en"]);
  assert.equal(accepted("de;garbage, en"), ["en"]);
  assert.equal(accepted("d3, toolongtag, de_AT, de-, -de, de--AT, en"), ["en"]);
  assert.equal(accepted("<script>, en"), ["en"]);
  assert.equal(accepted("de-*, en"), ["en"]);
});

test("parameters other than q are ignored", () => {
  assert.equal(accepted("de;level=1;q=0.5"), ["de"]);
  assert.equal(accepted("de;level=1;q=0"), []);
  assert.equal(accepted("de; q = 0.5 ;"), ["de"]);
});

test("qualities are read exactly: 0, 0.5, 0.05, 0.000 and 1.000 in every spelling the grammar allows", () => {
  for (const [q, acceptedAtAll] of [
    ["0", false],
    ["0.", false],
    ["0.0", false],
    ["0.00", false],
    ["0.000", false],
    ["0.001", true],
    ["0.05", true],
    ["0.5", true],
    ["1", true],
    ["1.", true],
    ["1.0", true],
    ["1.000", true],
  ] as const) {
    assert.equal(accepted(`de;q=${q}`), acceptedAtAll ? ["de"] : [], q);
  }
  for (const q of ["1.001", "1.5", "2", "0.0001", ".5", "00.5", "0,5", "0.5x", "q"]) {
    assert.equal(accepted(`de;q=${q}, en`), ["en"], q);
  }
});

test("each language is listed once", () => {
  assert.equal(acceptedLanguages("de-DE, de-AT, de, DE"), ["de"]);
});

test("a hostile header costs bounded work: only its first ranges and characters are read", () => {
  const many = Array.from({ length: 10_000 }, (_, i) => `x${String.fromCharCode(97 + (i % 26))}`).join(",");
  assert.ok(acceptedLanguages(`${many},de`).length <= MAX_RANGES);
  assert.not.ok(acceptedLanguages(`${many},de`).includes("de"));
  assert.equal(accepted(`en,${"a".repeat(100_000)}`), ["en"]);
  // The range cut by the limit is dropped whole, not read as its beginning ("deu…" is not "de").
  const filler = `en;q=0.5,${" ".repeat(MAX_HEADER_CHARS - 12)}`;
  assert.equal(accepted(`${filler},deutsch`), ["en"]);
  assert.equal(accepted(`${"a".repeat(MAX_HEADER_CHARS + 1)}`), []);
});

test.run();

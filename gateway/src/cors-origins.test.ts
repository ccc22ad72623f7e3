import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseCorsOrigins } from "./cors-origins.js";

test("no KURT_CORS_ORIGINS means no cross-origin caller at all", () => {
  assert.equal(parseCorsOrigins(undefined), []);
  assert.equal(parseCorsOrigins(""), []);
  assert.equal(parseCorsOrigins(" , "), []);
});

test("origins are exact scheme://host[:port], as a browser sends them", () => {
  assert.equal(parseCorsOrigins("https://app.example, http://localhost:5173"), [
    "https://app.example",
    "http://localhost:5173",
  ]);
});

test("anything that a browser would never send as an Origin is refused with the variable's name", () => {
  for (const bad of [
    "*",
    "app.example",
    "https://app.example/",
    "https://App.example",
    "https://app.example/x",
    "ftp://a.example",
    "https://a.example:443",
  ]) {
    assert.throws(() => parseCorsOrigins(bad), /KURT_CORS_ORIGINS/, bad);
  }
});

test.run();

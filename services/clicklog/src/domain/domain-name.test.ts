import { KurtError } from "@kurt/platform/errors";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { domainNameProblem, statsDomain } from "./domain-name.js";

const HOST = "127.0.0.1:24080";

test('a host name, the default domain\'s "" and a name of exactly 253 characters may be domains', () => {
  for (const name of ["", "go.example.com", "xn--bcher-kva.example", "bücher.example", `${"a".repeat(249)}.com`])
    assert.is(domainNameProblem(name), undefined, name);
});

test("more than 253 characters, a slash, whitespace or a control character is no domain's name", () => {
  assert.is(domainNameProblem(`${"a".repeat(250)}.com`), "longer than 253 characters");
  for (const name of [
    "go.example.com/x",
    "go example.com",
    "\tgo.example.com",
    "go\u2028example",
    "go\u0001x",
    "go\u009fx",
  ])
    assert.ok(domainNameProblem(name)?.startsWith("must be a host name"), JSON.stringify(name));
});

test("the reason never quotes the name", () => {
  assert.not.ok(domainNameProblem("secret stuff/abc")?.includes("secret"));
});

test('statsDomain: the default domain by any of its names is ""; another name is normalised', () => {
  for (const name of [undefined, "", HOST, "127.0.0.1"]) assert.is(statsDomain(name, HOST), "", String(name));
  assert.is(statsDomain("GO.example.com.", HOST), "go.example.com");
  assert.is(statsDomain("Bücher.example", HOST), "xn--bcher-kva.example");
});

test("statsDomain: a malformed name is INVALID_ARGUMENT naming domain", () => {
  try {
    statsDomain("go.example.com/abc", HOST);
  } catch (error) {
    assert.instance(error, KurtError);
    assert.equal([(error as KurtError).code, (error as KurtError).field], ["invalid_argument", "domain"]);
    return;
  }
  assert.unreachable("no refusal");
});

test.run();

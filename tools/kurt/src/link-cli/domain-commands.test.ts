import { KurtError } from "@kurt/sdk";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { domainCommand } from "./domain-commands.js";
import { runWithFake } from "./test-support/fake-kurt-client.js";

const run = (...args: string[]) => runWithFake(domainCommand, args);

test("add sends the name and the redirects given", async () => {
  const added = await run("add", "go.example.com", "--root-redirect", "https://example.com/");
  assert.is(added.code, 0, added.err);
  assert.equal(added.calls, [
    { method: "createDomain", args: [{ domain: "go.example.com", rootRedirect: "https://example.com/" }] },
  ]);
  assert.match(added.out, /^domain\s+go\.example\.com$/m);
  assert.match(added.out, /^root redirect\s+https:\/\/example\.com\/$/m);
  assert.match(added.out, /^not found redirect\s+-$/m);
  const both = await run("add", "go.example.com", "--not-found-redirect", "https://example.com/404", "--json");
  assert.equal(both.calls[0]?.args, [{ domain: "go.example.com", notFoundRedirect: "https://example.com/404" }]);
  assert.equal(JSON.parse(both.out), {
    domain: "go.example.com",
    rootRedirect: "https://example.com/",
    createdAt: "2026-01-01T00:00:00.000Z",
  });
});

test("list prints a table, or the API's JSON", async () => {
  const listed = await run("list");
  assert.is(listed.code, 0, listed.err);
  assert.equal(listed.calls, [{ method: "listDomains", args: [] }]);
  assert.match(listed.out, /^DOMAIN\s+ROOT REDIRECT\s+NOT FOUND REDIRECT\s+NOTE$/m);
  assert.match(listed.out, /^go\.example\.com\s+https:\/\/example\.com\/\s+-$/m);
  const json = JSON.parse((await run("list", "--json")).out);
  assert.equal(
    json.domains.map((d: { domain: string }) => d.domain),
    ["go.example.com"],
  );
});

test('update sends only the redirects given, "" to remove one', async () => {
  const updated = await run("update", "go.example.com", "--root-redirect", "", "--not-found-redirect=https://e.com/x");
  assert.is(updated.code, 0, updated.err);
  assert.equal(updated.calls, [
    {
      method: "updateDomain",
      args: [{ domain: "go.example.com", rootRedirect: "", notFoundRedirect: "https://e.com/x" }],
    },
  ]);
});

test("remove deletes the domain and says so", async () => {
  const removed = await run("remove", "go.example.com");
  assert.is(removed.code, 0, removed.err);
  assert.equal(removed.calls, [{ method: "deleteDomain", args: ["go.example.com"] }]);
  assert.is(removed.out, "removed go.example.com");
  assert.equal(JSON.parse((await run("remove", "go.example.com", "--json")).out), {
    domain: "go.example.com",
    deleted: true,
  });
});

test("a wrong command line exits 2 with one line naming the flag, and calls nothing", async () => {
  const cases: [string[], RegExp][] = [
    [["add"], /^\.\/kurt domain add: wrong number of arguments$/m],
    [["add", "https://go.example.com"], /^\.\/kurt domain add: NAME: "https:\/\/go\.example\.com" is not a host name/m],
    [["add", "go.example.com:8080"], /NAME: "go\.example\.com:8080" is not a host name/],
    [["add", "go.example.com", "--root-redirect", ""], /--root-redirect: "" is not an absolute http or https URL$/m],
    [["add", "go.example.com", "--root-redirect", "example.com"], /--root-redirect: "example\.com" is not an absolute/],
    [["add", "go.example.com", "--not-found-redirect", "ftp://e.com/"], /--not-found-redirect: "ftp:\/\/e\.com\/"/],
    [["add", "go.example.com", "--root-redirect"], /--root-redirect <value>' argument missing/],
    [["update", "go.example.com"], /nothing to update: give --root-redirect or --not-found-redirect/],
    [["update", "go.example.com", "--root-redirect", "nope"], /--root-redirect: "nope" .* or "" to remove it$/m],
    [["list", "extra"], /unexpected argument "extra"/],
    [["remove", "go.example.com", "--force"], /Unknown option '--force'/],
  ];
  for (const [args, message] of cases) {
    const outcome = await run(...args);
    assert.is(outcome.code, 2, args.join(" "));
    assert.match(outcome.err, message);
    assert.match(outcome.err, /usage: \.\/kurt domain/);
    assert.equal(outcome.calls, [], args.join(" "));
  }
  const unknown = await run("rename", "a");
  assert.is(unknown.code, 2);
  assert.match(unknown.err, /^unknown domain command "rename"/);
});

test("the server's refusal exits 1 with its code and message", async () => {
  const holdsLinks = new KurtError("conflict", "domain: go.example.com still holds 3 links");
  const outcome = await runWithFake(domainCommand, ["remove", "go.example.com"], holdsLinks);
  assert.is(outcome.code, 1);
  assert.is(outcome.err, "error: conflict: domain: go.example.com still holds 3 links");
});

test("help prints the usage", async () => {
  const help = await run("help");
  assert.is(help.code, 0);
  assert.match(help.out, /^usage: \.\/kurt domain COMMAND/);
  assert.is((await run()).code, 2);
});

test.run();

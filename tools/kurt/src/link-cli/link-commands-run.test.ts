import { test } from "uvu";
import * as assert from "uvu/assert";
import { linkCommand } from "./link-commands.js";
import { runWithFake } from "./test-support/fake-kurt-client.js";

// What each `./kurt link` command line asks of the SDK; the parsing helpers
// themselves are in link-commands-args.test.ts.

const run = (...args: string[]) => runWithFake(linkCommand, args);
const D = ["--domain", "go.example.com"];

test("--domain reaches every link call that takes one", async () => {
  const expected: [string[], string, unknown[]][] = [
    [
      ["create", "https://example.com/x", "--code", "x", ...D],
      "createLink",
      [{ url: "https://example.com/x", domain: "go.example.com", code: "x", tags: [] }],
    ],
    [["get", "x", ...D], "getLink", ["x", { domain: "go.example.com" }]],
    [["update", "x", "--disable", ...D], "updateLink", [{ code: "x", domain: "go.example.com", disabled: true }]],
    [["delete", "x", ...D], "deleteLink", ["x", { domain: "go.example.com" }]],
    [["stats", "x", "--interval", "day", ...D], "getLinkStats", ["x", { domain: "go.example.com", interval: "day" }]],
    [["qr", "x", ...D], "getLinkQrCode", ["x", { domain: "go.example.com", format: "svg" }]],
    [["list", "--limit", "3", ...D], "listLinks", [{ pageSize: 3, pageToken: "", domain: "go.example.com" }]],
  ];
  for (const [args, method, callArgs] of expected) {
    const outcome = await run(...args);
    assert.is(outcome.code, 0, `${args.join(" ")}: ${outcome.err}`);
    assert.equal(outcome.calls, [{ method, args: callArgs }], args.join(" "));
  }
});

test("without --domain: the default domain, and for list every domain", async () => {
  assert.equal((await run("get", "x")).calls[0]?.args, ["x", {}]);
  assert.equal((await run("delete", "x")).calls[0]?.args, ["x", {}]);
  assert.equal((await run("list")).calls[0]?.args, [{ pageSize: 50, pageToken: "" }]);
});

test("delete names the domain it deleted from", async () => {
  const deleted = await run("delete", "x", ...D);
  assert.is(deleted.out, "deleted x (go.example.com)");
  assert.equal(JSON.parse((await run("delete", "x", ...D, "--json")).out), {
    code: "x",
    domain: "go.example.com",
    deleted: true,
  });
});

test("an empty --domain, or update with --domain alone, exits 2 naming the flag", async () => {
  const empty = await run("get", "x", "--domain", "");
  assert.is(empty.code, 2);
  assert.match(empty.err, /^\.\/kurt link get: --domain: needs a domain name/);
  assert.equal(empty.calls, []);
  const nothing = await run("update", "x", ...D);
  assert.is(nothing.code, 2);
  assert.match(nothing.err, /nothing to update/);
  const missing = await run("list", "--domain");
  assert.is(missing.code, 2);
  assert.match(missing.err, /--domain <value>' argument missing/);
});

test("a link's table shows its domain", async () => {
  const shown = await run("get", "launch", ...D);
  assert.match(shown.out, /^domain\s+go\.example\.com$/m);
});

test.run();

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

const RULE_IOS = "device=ios,url=https://apps.apple.com/app/id0";
const RULE_DE = "country=de,language=de,url=https://example.com/de";

test("create sends the cap, the password, the rules in order and the schedule and cache flags", async () => {
  const created = await run(
    "create",
    "https://example.com/app",
    "--max-visits",
    "100",
    "--password",
    "open sesame",
    "--rule",
    RULE_IOS,
    "--rule",
    RULE_DE,
    "--rule",
    "query=ref:mail,url=https://example.com/mail",
    "--valid-since",
    "2031-01-02T03:04:05Z",
    "--cache-seconds",
    "3600",
    "--forward-query",
  );
  assert.is(created.code, 0, created.err);
  assert.equal(created.calls, [
    {
      method: "createLink",
      args: [
        {
          url: "https://example.com/app",
          maxVisits: 100,
          password: "open sesame",
          rules: [
            { url: "https://apps.apple.com/app/id0", device: "ios" },
            { url: "https://example.com/de", country: "DE", language: "de" },
            { url: "https://example.com/mail", query: { name: "ref", value: "mail" } },
          ],
          validSince: new Date("2031-01-02T03:04:05Z"),
          cacheSeconds: 3600,
          forwardQuery: true,
          tags: [],
        },
      ],
    },
  ]);
});

test("--password-stdin reads the first line of stdin, without its line break", async () => {
  const created = await runWithFake(
    linkCommand,
    ["create", "https://example.com/", "--password-stdin"],
    undefined,
    "from stdin\nnot this\n",
  );
  assert.is(created.code, 0, created.err);
  assert.equal(created.calls[0]?.args, [{ url: "https://example.com/", password: "from stdin", tags: [] }]);
  const updated = await runWithFake(linkCommand, ["update", "x", "--password-stdin"], undefined, "new one\r\n");
  assert.is(updated.code, 0, updated.err);
  assert.equal(updated.calls[0]?.args, [{ code: "x", password: "new one" }]);
});

test("--password-stdin with nothing on stdin, or a short password, exits 2 and sends nothing", async () => {
  const nothing = await run("create", "https://example.com/", "--password-stdin");
  assert.is(nothing.code, 2);
  assert.match(nothing.err, /^\.\/kurt link create: --password-stdin: stdin gave no password$/m);
  assert.equal(nothing.calls, []);
  const empty = await runWithFake(linkCommand, ["update", "x", "--password-stdin"], undefined, "\n");
  assert.is(empty.code, 2);
  assert.match(empty.err, /--password-stdin: stdin gave no password \(to remove the password, give --password ""\)/);
  assert.equal(empty.calls, []);
  const short = await runWithFake(linkCommand, ["update", "x", "--password-stdin"], undefined, "abc\n");
  assert.is(short.code, 2);
  assert.match(short.err, /--password-stdin: must be 4 to 128 characters, got 3/);
  assert.equal(short.calls, []);
});

test("the help says a password on the command line lands in the shell's history, and offers --password-stdin", async () => {
  const help = await run("help");
  assert.is(help.code, 0);
  assert.match(help.out, /shell's history/);
  assert.match(help.out, /--password-stdin reads it from the first line of stdin/);
});

test("update sends the cap, a new password, the rules (replacing all) and the other settings", async () => {
  const updated = await run(
    "update",
    "x",
    "--max-visits",
    "10",
    "--password",
    "new secret",
    "--rule",
    RULE_IOS,
    "--valid-since",
    "2031-01-02T03:04:05Z",
    "--cache-seconds",
    "0",
    "--no-forward-query",
  );
  assert.is(updated.code, 0, updated.err);
  assert.equal(updated.calls[0]?.args, [
    {
      code: "x",
      maxVisits: 10,
      password: "new secret",
      rules: [{ url: "https://apps.apple.com/app/id0", device: "ios" }],
      validSince: new Date("2031-01-02T03:04:05Z"),
      cacheSeconds: 0,
      forwardQuery: false,
    },
  ]);
});

test('update removes: --clear-max-visits, --password "", --clear-rules, --clear-valid-since', async () => {
  const cleared = await run(
    "update",
    "x",
    "--clear-max-visits",
    "--password",
    "",
    "--clear-rules",
    "--clear-valid-since",
    ...D,
  );
  assert.is(cleared.code, 0, cleared.err);
  assert.equal(cleared.calls[0]?.args, [
    { code: "x", domain: "go.example.com", clearMaxVisits: true, password: "", rules: [], clearValidSince: true },
  ]);
  // Each of them alone is an update.
  for (const flag of ["--clear-max-visits", "--clear-rules", "--clear-valid-since", "--forward-query"]) {
    assert.is((await run("update", "x", flag)).code, 0, flag);
  }
});

test("flags that contradict each other exit 2 naming both and send nothing", async () => {
  const pairs: string[][] = [
    ["--max-visits", "3", "--clear-max-visits"],
    ["--rule", RULE_IOS, "--clear-rules"],
    ["--valid-since", "+1d", "--clear-valid-since"],
    ["--forward-query", "--no-forward-query"],
    ["--password", "open sesame", "--password-stdin"],
  ];
  for (const pair of pairs) {
    const outcome = await runWithFake(linkCommand, ["update", "x", ...pair], undefined, "from stdin\n");
    assert.is(outcome.code, 2, pair.join(" "));
    const flags = pair.filter((arg) => arg.startsWith("--"));
    assert.match(outcome.err, `${flags.join(" and ")} exclude each other`, pair.join(" "));
    assert.equal(outcome.calls, [], pair.join(" "));
  }
});

test("bad values of the new flags exit 2 with one line naming the flag, and send nothing", async () => {
  const bad: [string[], string][] = [
    [["create", "https://example.com/", "--max-visits", "0"], "--max-visits: "],
    [["create", "https://example.com/", "--max-visits", "many"], "--max-visits: "],
    [["update", "x", "--max-visits", "-3"], "--max-visits"],
    [["create", "https://example.com/", "--cache-seconds", "31536001"], "--cache-seconds: "],
    [["update", "x", "--cache-seconds", "1.5"], "--cache-seconds: "],
    [["create", "https://example.com/", "--password", "abc"], "--password: must be 4 to 128 characters"],
    [["create", "https://example.com/", "--password", ""], "--password: must be 4 to 128 characters, got 0"],
    [["update", "x", "--password", "abc"], '--password: must be 4 to 128 characters, got 3, or "" to remove it'],
    [["create", "https://example.com/", "--rule", "device=ios"], "--rule: url=… is missing"],
    [["update", "x", "--rule", RULE_IOS, "--rule", "os=ios,url=https://example.com/"], '--rule: unknown key "os"'],
    [["create", "https://example.com/", "--valid-since", "soon"], "--valid-since: "],
    [["list", "--query", ""], "--query: needs some text"],
    [["list", "--tag", ""], "--tag: needs some text"],
  ];
  for (const [args, message] of bad) {
    const outcome = await run(...args);
    assert.is(outcome.code, 2, args.join(" "));
    const first = outcome.err.split("\n")[0] as string;
    assert.ok(first.startsWith(`./kurt link ${args[0]}: `) && first.includes(message), `${args.join(" ")}: ${first}`);
    assert.equal(outcome.calls, [], args.join(" "));
  }
});

test("list filters by --query and --tag, with --domain", async () => {
  const listed = await run("list", "--query", "Launch", "--tag", "news", "--limit", "5", ...D);
  assert.is(listed.code, 0, listed.err);
  assert.equal(listed.calls, [
    {
      method: "listLinks",
      args: [{ pageSize: 5, pageToken: "", domain: "go.example.com", query: "Launch", tag: "news" }],
    },
  ]);
});

test("a link's table shows the cap and its visits, the password, the rules and the other settings", async () => {
  const shown = await run("get", "launch");
  assert.match(shown.out, /^max visits\s+-$/m);
  assert.match(shown.out, /^password\s+no$/m);
  assert.match(shown.out, /^rules\s+-$/m);
  assert.match(shown.out, /^cache seconds\s+0$/m);
  assert.match(shown.out, /^valid since\s+-$/m);
  assert.match(shown.out, /^forward query\s+no$/m);
});

test.run();

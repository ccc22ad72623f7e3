import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type KurtOutcome, runKurt } from "../support/kurt-cli.js";
import { uniqueCode } from "../support/links-api.js";
import { decodeQrPng } from "../support/qr-decode.js";

// The real `./kurt link …` commands against the running stack, as a person
// or a script runs them: exit codes, tables, --json.

type Outcome = KurtOutcome;

const kurt = (...args: string[]): Promise<Outcome> => runKurt(["link", ...args]);

function json(outcome: Outcome) {
  assert.is(outcome.code, 0, outcome.stderr);
  return JSON.parse(outcome.stdout);
}

test("create, get, update, list and delete, in JSON", async () => {
  const code = uniqueCode("cli");
  const created = json(
    await kurt(
      "create",
      "https://example.com/cli",
      "--code",
      code,
      "--status",
      "307",
      "--expires",
      "+7d",
      "--tag",
      "a",
      "--tag",
      "b",
      "--title",
      "T",
      "--json",
    ),
  );
  assert.is(created.code, code);
  assert.is(created.redirectStatus, 307);
  assert.equal(created.tags, ["a", "b"]);
  const expiresInDays = (Date.parse(created.expiresAt) - Date.now()) / 86_400_000;
  assert.ok(expiresInDays > 6.9 && expiresInDays <= 7, created.expiresAt);

  const updated = json(
    await kurt("update", code, "--url", "https://example.com/cli2", "--no-expires", "--disable", "--no-tags", "--json"),
  );
  assert.is(updated.url, "https://example.com/cli2");
  assert.is(updated.disabled, true);
  assert.is(updated.expiresAt, undefined);
  assert.is(updated.tags, undefined);

  const listed = json(await kurt("list", "--limit", "500", "--json"));
  assert.ok(listed.links.some((link: { code: string }) => link.code === code));

  assert.equal(json(await kurt("delete", code, "--json")), { code, deleted: true });
  const gone = await kurt("get", code);
  assert.is(gone.code, 1);
  assert.match(gone.stderr, /not_found/);
});

test("visit caps, passwords, rules and the query filter from the command line", async () => {
  const code = uniqueCode("clifeat");
  const created = json(
    await kurt(
      "create",
      "https://example.com/cli/features",
      "--code",
      code,
      "--max-visits",
      "2",
      "--password",
      "cli-secret",
      "--rule",
      "device=ios,url=https://apps.apple.com/app/x",
      "--rule",
      "country=de,query=src:mail,url=https://example.de/",
      "--forward-query",
      "--tag",
      "cli-features",
      "--json",
    ),
  );
  assert.is(created.maxVisits, 2);
  assert.is(created.passwordProtected, true);
  assert.equal(created.rules, [
    { device: "ios", url: "https://apps.apple.com/app/x" },
    { country: "DE", query: { name: "src", value: "mail" }, url: "https://example.de/" },
  ]);
  assert.is(created.forwardQuery, true);
  const table = await kurt("get", code);
  assert.is(table.code, 0, table.stderr);
  assert.match(table.stdout, /device=ios,url=https:\/\/apps\.apple\.com\/app\/x/);

  const cleared = json(await kurt("update", code, "--clear-max-visits", "--password", "", "--clear-rules", "--json"));
  assert.is(cleared.maxVisits, undefined);
  assert.is(cleared.passwordProtected, undefined, "false is left out of --json, as every default is");
  assert.is(cleared.rules, undefined);

  const found = json(await kurt("list", "--query", code, "--tag", "cli-features", "--json"));
  assert.equal(
    found.links.map((link: { code: string }) => link.code),
    [code],
  );
  const refused = await kurt("create", "https://example.com/cli/bad", "--max-visits", "0");
  assert.is(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, /--max-visits/);
});

test("tables for people: a link, and stats with a sparkline", async () => {
  const code = uniqueCode("cli");
  const created = await kurt("create", "https://example.com/cli/table", "--code", code);
  assert.is(created.code, 0, created.stderr);
  assert.match(created.stdout, new RegExp(`^code\\s+${code}$`, "m"));
  assert.match(created.stdout, /^status\s+302$/m);

  const stats = await kurt("stats", code, "--from", "-2h", "--to", "+1h", "--interval", "hour");
  assert.is(stats.code, 0, stats.stderr);
  assert.match(stats.stdout, /^clicks\s+0$/m);
  assert.match(stats.stdout, /^[▁▂▃▄▅▆▇█]{3,4}\s/m);
});

test("qr prints an SVG, writes a PNG with --out, and refuses a PNG without it", async () => {
  const link = json(await kurt("create", "https://example.com/cli/qr", "--json"));
  const svg = await kurt("qr", link.code, "--size", "128");
  assert.is(svg.code, 0, svg.stderr);
  assert.match(svg.stdout, /^<svg [^>]*width="128" height="128"/);
  const dir = mkdtempSync(path.join(tmpdir(), "kurt-qr-"));
  try {
    const file = path.join(dir, "qr.png");
    const written = json(await kurt("qr", link.code, "--format", "png", "--out", file, "--json"));
    assert.is(written.contentType, "image/png");
    assert.is(decodeQrPng(readFileSync(file)).text, link.shortUrl);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const noOut = await kurt("qr", link.code, "--format", "png");
  assert.is(noOut.code, 2);
  assert.match(noOut.stderr, /--out FILE/);
  const tooBig = await kurt("qr", link.code, "--size", "5000");
  assert.is(tooBig.code, 1);
  assert.match(tooBig.stderr, /invalid_argument: size/);
});

test("the server's refusals exit 1 with its message", async () => {
  const code = uniqueCode("cli");
  assert.is((await kurt("create", "https://example.com/cli/dup", "--code", code)).code, 0);
  const taken = await kurt("create", "https://example.com/cli/dup", "--code", code);
  assert.is(taken.code, 1);
  assert.match(taken.stderr, /already_exists: code/);
  const badUrl = await kurt("create", "ftp://example.com/x");
  assert.is(badUrl.code, 1);
  assert.match(badUrl.stderr, /invalid_argument: url/);
});

test("a wrong command line exits 2 with the usage", async () => {
  // One of each kind; the parsing itself is unit-tested in tools/kurt/src/link-cli/link-commands-args.test.ts.
  for (const args of [["create"], ["get", "a", "--bogus"]]) {
    const outcome = await kurt(...args);
    assert.is(outcome.code, 2, `${args.join(" ")}: ${outcome.stderr}`);
    assert.match(outcome.stderr, /usage: \.\/kurt link/);
  }
});

test.run();

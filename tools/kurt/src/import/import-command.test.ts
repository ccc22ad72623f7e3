import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Topology } from "@kurt/topology";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Paths } from "../paths.js";
import { importCommand } from "./import-command.js";
import type { ImportReport } from "./import-report.js";
import { type FakeKurt, fakeKurt } from "./test-support/fake-import-port.js";

const FIXTURES = new URL("../../../../tests/fixtures/import/", import.meta.url).pathname;
const dir = mkdtempSync(path.join(tmpdir(), "kurt-import-"));

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  readonly progress: string;
  readonly connected: boolean;
}

async function run(args: string[], kurt: FakeKurt = fakeKurt(), isTTY = false): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  let progress = "";
  let connected = false;
  const code = await importCommand(args, {
    topology: { host: "127.0.0.1", envoy: { grpcPort: 1 } } as unknown as Topology,
    paths: { stateDir: "/nonexistent" } as Paths,
    env: { KURT_API_KEY: "kurt_test", KURT_GRPC: "127.0.0.1:1" },
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    progress: { isTTY, columns: 100, write: (text) => (progress += text) },
    now: () => new Date("2026-12-05T00:00:00Z"),
    port: new Proxy(kurt.port, {
      get: (target, key) => {
        connected = true;
        return Reflect.get(target, key);
      },
    }),
  });
  return { code, out: out.join("\n"), err: err.join("\n"), progress, connected };
}

const fixture = (name: string) => path.join(FIXTURES, name);

test("unknown or missing --from, a missing file, a directory: exit 2 naming the fault, nothing sent", async () => {
  const cases: [string[], RegExp][] = [
    [
      ["--from", "rebrandly", fixture("links.csv")],
      /--from: "rebrandly" is not one of bitly, shlink, kutt, yourls, csv/,
    ],
    [[fixture("links.csv")], /--from FORMAT is required/],
    [["--from", "csv", path.join(dir, "nope.csv")], /nope\.csv: no such file/],
    [["--from", "csv", dir], /is a directory, not an export file/],
    [["--from", "csv"], /wrong number of arguments/],
    [["--from", "csv", fixture("links.csv"), "--batch", "9"], /Unknown option '--batch'/],
    [["--from", "csv", fixture("links.csv"), "--domain", " "], /--domain: needs a domain name/],
  ];
  for (const [args, pattern] of cases) {
    const outcome = await run(args);
    assert.is(outcome.code, 2, args.join(" "));
    assert.match(outcome.err, pattern);
    assert.is(outcome.connected, false, `${args.join(" ")} sent nothing`);
  }
});

test("a file of another format: exit 2 naming the missing column, nothing sent", async () => {
  const outcome = await run(["--from", "shlink", fixture("bitly-links.csv")]);
  assert.is(outcome.code, 2);
  assert.match(
    outcome.err,
    /bitly-links\.csv: shlink export: no short code column \(looked for shortCode; found "Title"/,
  );
  assert.is(outcome.connected, false);
  const kutt = await run(["--from", "kutt", fixture("yourls-url.csv")]);
  assert.is(kutt.code, 2);
  assert.match(kutt.err, /kutt export: expected JSON/);
});

test("--dry-run checks the file and says what would be sent, sending nothing", async () => {
  const outcome = await run(["--from", "yourls", fixture("yourls-url.csv"), "--dry-run", "--rename-invalid"]);
  assert.is(outcome.connected, false);
  assert.is(outcome.code, 0, outcome.err);
  assert.match(outcome.out, /^dry run of yourls export .*yourls-url\.csv for the default domain: nothing was sent$/m);
  assert.match(outcome.out, /^ {2}would send {8}11$/m);
  assert.match(outcome.out, /^ {2}line 2 {6}"1" → a generated code$/m);
  assert.match(outcome.out, /^ {2}line 11 {5}same link as line 5$/m);
});

test("an import, then the same again: the second creates nothing; both summaries and exit codes say so", async () => {
  const kurt = fakeKurt();
  const first = await run(["--from", "bitly", fixture("bitly-links.csv"), "--domain", "go.example.com"], kurt);
  assert.is(first.code, 3, "one invalid code");
  assert.match(first.out, /^import of bitly export .* into go\.example\.com$/m);
  assert.match(first.out, /^ {2}created {11}11$/m);
  assert.match(first.out, /^ {2}already imported {2}0$/m);
  assert.match(first.out, /^ {2}invalid {11}1$/m);
  assert.match(first.out, /^ {2}duplicates {8}1$/m);
  assert.match(first.out, /^ {2}line 8 {6}"go" code "go" does not fit Kurt's codes/m);
  assert.is(
    kurt.links.get("go.example.com")?.get("spring-sale"),
    "https://shop.example.com/sale?utm_source=bitly&utm_medium=social",
  );

  const second = await run(["--from", "bitly", fixture("bitly-links.csv"), "--domain", "go.example.com"], kurt);
  assert.match(second.out, /^ {2}created {11}0$/m);
  assert.match(second.out, /^ {2}already imported {2}11$/m);
  assert.is(kurt.links.get("go.example.com")?.size, 11);
});

test("a conflict is listed with both URLs, and --report writes every row as JSON", async () => {
  const kurt = fakeKurt();
  kurt.links.set("", new Map([["blog", "https://other.example.org/"]]));
  const report = path.join(dir, "report.json");
  const outcome = await run(["--from", "yourls", fixture("yourls-url.csv"), "--report", report], kurt);
  assert.is(outcome.code, 3);
  assert.match(
    outcome.out,
    /^ {2}line 5 {6}"blog" https:\/\/blog\.example\.com\/ — taken by Kurt's link to https:\/\/other\.example\.org\/$/m,
  );
  const written = JSON.parse(readFileSync(report, "utf8")) as ImportReport;
  assert.equal(written.counts, {
    rows: 12,
    created: 6,
    "already-imported": 0,
    conflict: 1,
    invalid: 4,
    duplicate: 1,
    failed: 0,
    planned: 0,
  });
  assert.equal(written.rows[3], {
    kind: "conflict",
    line: 5,
    code: "blog",
    url: "https://blog.example.com/",
    existingUrl: "https://other.example.org/",
  });
  assert.is(written.from, "yourls");
  assert.is(written.domain, null);
  assert.is(written.unit, "line");
});

test("--json prints the report; without a terminal, progress is plain lines on the progress stream", async () => {
  const outcome = await run(["--from", "kutt", fixture("kutt-links.json"), "--json"]);
  const report = JSON.parse(outcome.out) as ImportReport;
  assert.is(report.unit, "item");
  assert.is(report.counts.created, 5);
  assert.match(outcome.progress, /^import: 5\/5 100% [\d,]+\/s\n$/);
});

test("a terminal gets a bar redrawn in place", async () => {
  const outcome = await run(["--from", "csv", fixture("links.csv")], fakeKurt(), true);
  const frames = outcome.progress.split("\r\u001b[2K");
  assert.ok(frames.length > 1, JSON.stringify(outcome.progress));
  assert.match(frames.at(-1) ?? "", /^import \[█+\] 7\/7 100% [\d,]+\/s\n$/);
});

test("a report file that cannot be written stops the import before anything is sent", async () => {
  const outcome = await run([
    "--from",
    "csv",
    fixture("links.csv"),
    "--report",
    path.join(dir, "no", "such", "dir.json"),
  ]);
  assert.is(outcome.code, 2);
  assert.match(outcome.err, /--report: cannot write/);
  assert.is(outcome.connected, false);
});

test("calls that fail leave exit code 1 and say to run it again", async () => {
  const kurt = fakeKurt({
    beforeBatch: () => {
      throw new Error("unavailable: No connection established");
    },
  });
  const outcome = await run(["--from", "csv", fixture("links.csv")], kurt);
  assert.is(outcome.code, 1);
  assert.match(outcome.out, /^ {2}failed {12}7 {3}\(run the import again: it skips what is in\)$/m);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();

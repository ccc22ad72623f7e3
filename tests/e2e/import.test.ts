import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { adminKey } from "../support/api-keys.js";
import { visitHost } from "../support/host-visit.js";
import { describe, request } from "../support/http-client.js";
import { type KurtOutcome, repoRoot, runKurt } from "../support/kurt-cli.js";

// The real `./kurt import` against the running stack: each fixture of
// tests/fixtures/import/ goes into a domain of its own, made for this run (so
// reruns of the suite never meet the codes of an earlier run); its links
// redirect through the gateway under their original codes; a second import
// of the same file creates nothing.

const root = repoRoot;
const fixtures = path.join(root, "tests/fixtures/import");
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const scratch = mkdtempSync(path.join(tmpdir(), "kurt-import-e2e-"));

interface Case {
  readonly from: string;
  readonly file: string;
  /** Codes and where they lead, to visit. */
  readonly visits: readonly (readonly [string, string])[];
  /** What the file alone decides: duplicate rows and conflicts inside it. */
  readonly duplicates: number;
  readonly conflicts: number;
}

const CASES: readonly Case[] = [
  {
    from: "bitly",
    file: "bitly-links.csv",
    visits: [
      ["spring-sale", "https://shop.example.com/sale?utm_source=bitly&utm_medium=social"],
      ["careers", "https://jobs.example.com/acme"],
      ["3St4tUs", "https://status.example.com/"],
    ],
    duplicates: 1,
    conflicts: 0,
  },
  {
    from: "shlink",
    file: "shlink-short-urls.csv",
    visits: [
      ["release-notes", "https://docs.example.net/releases/4.2"],
      ["Xk3pQ", "https://blog.example.net/2024/02/why-we-moved"],
    ],
    duplicates: 1,
    conflicts: 0,
  },
  {
    from: "shlink",
    file: "shlink-short-urls.json",
    visits: [
      ["launch-2025", "https://example.net/launch"],
      ["2025-roadmap", "https://example.net/blog/roadmap-2025"],
    ],
    duplicates: 1,
    conflicts: 0,
  },
  {
    from: "kutt",
    file: "kutt-links.json",
    visits: [
      ["meetup", "https://meetup.example.org/berlin-js/june"],
      ["podcast-42", "https://podcast.example.org/episodes/42"],
    ],
    duplicates: 1,
    conflicts: 0,
  },
  {
    from: "yourls",
    file: "yourls-url.csv",
    visits: [
      ["blog", "https://blog.example.com/"],
      ["github", "https://github.com/example"],
    ],
    duplicates: 1,
    conflicts: 0,
  },
  {
    from: "csv",
    file: "links.csv",
    visits: [
      ["handbook", "https://example.com/handbook"],
      ["party-2031", "https://example.com/holiday-party"],
    ],
    duplicates: 2,
    conflicts: 1,
  },
];

const domainOf = (index: number) => `imp-${index}-${run}.example.com`;
const RENAMED_DOMAIN = `imp-renamed-${run}.example.com`;

interface Report {
  readonly counts: Record<string, number>;
  readonly rows: readonly { kind: string; line: number; code?: string; url?: string; originalCode?: string }[];
}

type Outcome = KurtOutcome;

const kurt = (...args: string[]): Promise<Outcome> => runKurt(["import", ...args]);

/** Imports a fixture into a domain, answering the exit code, the summary and the --report JSON. */
async function importFixture(
  from: string,
  file: string,
  domain: string,
  ...extra: string[]
): Promise<Outcome & { report: Report }> {
  const reportFile = path.join(scratch, `${path.basename(file)}-${Math.random().toString(36).slice(2)}.json`);
  const outcome = await kurt(
    "--from",
    from,
    path.join(fixtures, file),
    "--domain",
    domain,
    "--report",
    reportFile,
    ...extra,
  );
  const report = JSON.parse(readFileSync(reportFile, "utf8")) as Report;
  return { ...outcome, report };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolvers reload the domain list every 2 s: wait (bounded) until the visit answers as expected. */
async function visitEventually(host: string, code: string, location: string) {
  const started = Date.now();
  for (;;) {
    const visit = await visitHost(host, `/${encodeURIComponent(code)}`);
    if (visit.status === 302 && visit.location === location) return visit;
    if (Date.now() - started > 15_000)
      throw new Error(`GET ${host}/${code}: still ${visit.status} ${visit.location ?? ""} after 15 s`);
    await sleep(200);
  }
}

const firstRuns = new Map<string, Report>();

test.before(async () => {
  const domains = [...CASES.map((_, i) => domainOf(i)), RENAMED_DOMAIN];
  for (const domain of domains) {
    const created = await request("POST", "/v1/domains", { key: adminKey(), body: { domain } });
    if (created.status !== 200 && created.status !== 201) throw new Error(`cannot add ${domain}: ${describe(created)}`);
  }
  // Each shortener replica reloads its domain list every second: a create under a new domain waits for
  // that. A probe link (a code no fixture has) shows one replica knows the domain; a pause covers the others.
  const started = Date.now();
  for (const domain of domains) {
    for (;;) {
      const probe = await request("POST", "/v1/links", {
        key: adminKey(),
        body: { url: "https://example.com/import-probe", code: `probe-${run}`, domain },
      });
      if (probe.status === 200 || probe.status === 201) break;
      if (Date.now() - started > 15_000) throw new Error(`${domain} is still unknown after 15 s: ${describe(probe)}`);
      await sleep(200);
    }
  }
  await sleep(1_500);
});

test.after(() => rmSync(scratch, { recursive: true, force: true }));

test("each fixture imports into its domain: nothing fails, the file's duplicates and conflicts are reported", async () => {
  for (const [index, c] of CASES.entries()) {
    const first = await importFixture(c.from, c.file, domainOf(index));
    const what = `${c.from} ${c.file}: ${first.stderr}\n${first.stdout}`;
    // Every fixture holds rows Kurt cannot take (a code that does not fit, an expired link…): exit 3.
    assert.is(first.code, 3, what);
    assert.is(first.report.counts.failed, 0, what);
    assert.ok((first.report.counts.created ?? 0) >= c.visits.length, what);
    assert.is(first.report.counts.duplicate, c.duplicates, what);
    assert.is(first.report.counts.conflict, c.conflicts, what);
    assert.ok((first.report.counts.invalid ?? 0) > 0, what);
    assert.match(
      first.stdout,
      new RegExp(`^import of ${c.from} export .* into ${domainOf(index).replace(/\./g, "\\.")}$`, "m"),
    );
    firstRuns.set(c.file, first.report);
  }
});

test("a code Kurt reserves for its own routes (Shlink's `docs`) is reported invalid with Kurt's reason", async () => {
  const report = firstRuns.get("shlink-short-urls.json");
  const docs = report?.rows.find((row) => row.code === "docs");
  assert.is(docs?.kind, "invalid", JSON.stringify(docs));
  assert.match(String((docs as { reason?: string } | undefined)?.reason), /reserved/);
});

test("the imported links redirect through the gateway under their original codes", async () => {
  for (const [index, c] of CASES.entries()) {
    for (const [code, location] of c.visits) {
      const visit = await visitEventually(domainOf(index), code, location);
      assert.is(visit.status, 302, `${c.file} ${code}`);
    }
  }
});

test("a second import of each file creates nothing and counts every row the first one created as already imported", async () => {
  for (const [index, c] of CASES.entries()) {
    const first = firstRuns.get(c.file);
    assert.ok(first !== undefined, `${c.file} was imported first`);
    const second = await importFixture(c.from, c.file, domainOf(index));
    const what = `${c.from} ${c.file}: ${second.stderr}\n${second.stdout}`;
    assert.is(second.code, 3, what);
    assert.match(second.stdout, /^ {2}created {11}0$/m);
    assert.is(second.report.counts.created, 0, what);
    assert.is(second.report.counts.failed, 0, what);
    assert.is(second.report.counts["already-imported"], first.counts.created, what);
    assert.is(second.report.counts.invalid, first.counts.invalid, what);
    assert.is(second.report.counts.conflict, first.counts.conflict, what);
  }
});

test("--rename-invalid gives YOURLS's short keywords generated codes, and a rerun finds them by URL", async () => {
  const first = await importFixture("yourls", "yourls-url.csv", RENAMED_DOMAIN, "--rename-invalid");
  assert.is(first.code, 0, `${first.stderr}\n${first.stdout}`);
  const renamed = first.report.rows.filter((row) => row.kind === "created" && row.originalCode !== undefined);
  assert.equal(renamed.map((row) => row.originalCode).sort(), ["1", "2", "a", "zz"]);
  const one = renamed.find((row) => row.originalCode === "1");
  assert.match(one?.code ?? "", /^[0-9A-Za-z]{7}$/);
  await visitEventually(RENAMED_DOMAIN, one?.code as string, "https://example.com/");
  assert.match(first.stdout, /^ {2}line 2 {6}"1" → [0-9A-Za-z]{7}$/m);

  const second = await importFixture("yourls", "yourls-url.csv", RENAMED_DOMAIN, "--rename-invalid");
  assert.is(second.code, 0, `${second.stderr}\n${second.stdout}`);
  assert.is(second.report.counts.created, 0);
  assert.is(second.report.counts["already-imported"], first.report.counts.created);
});

test("--dry-run sends nothing, and a file of another format exits 2 naming what is missing", async () => {
  const domain = domainOf(0);
  const dry = await kurt("--from", "csv", path.join(fixtures, "links.csv"), "--domain", domain, "--dry-run");
  assert.is(dry.code, 3, dry.stderr);
  assert.match(dry.stdout, /nothing was sent/);
  const listed = await request("GET", `/v1/links?domain=${domain}&query=holiday-party`, { key: adminKey() });
  assert.is(listed.status, 200, describe(listed));
  assert.equal(listed.json.links ?? [], [], "links.csv was never imported into the bitly domain");

  const wrong = await kurt("--from", "shlink", path.join(fixtures, "yourls-url.csv"));
  assert.is(wrong.code, 2);
  assert.match(wrong.stderr, /shlink export: no short code column/);
});

test.run();

import type { Link } from "@kurt/contract";
import { type KurtClient, KurtError } from "@kurt/sdk";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { sampleLink } from "../link-cli/test-support/fake-kurt-client.js";
import { RetryLater } from "./import-runner.js";
import { createKurtImportPort } from "./kurt-import-port.js";

// The port on the SDK: which calls it makes and how it reads their answers.

function client(methods: Partial<Record<keyof KurtClient, (...args: unknown[]) => unknown>>) {
  const calls: { method: string; args: unknown[] }[] = [];
  const kurt = new Proxy({} as KurtClient, {
    get:
      (_target, method: string) =>
      async (...args: unknown[]) => {
        calls.push({ method, args });
        const answer = methods[method as keyof KurtClient];
        if (answer === undefined) throw new Error(`unexpected call ${method}`);
        return answer(...args);
      },
  });
  return { kurt, calls };
}

const link = (code: string, url: string, domain = "go.example.com"): Link => ({ ...sampleLink, code, url, domain });

test("createLinks is one BatchCreateLinks with a long deadline; each result becomes {link} or {error}", async () => {
  const { kurt, calls } = client({
    batchCreateLinks: () => ({
      results: [{ link: link("abc", "https://example.com/a") }, { error: { code: 6, message: "taken" } }],
    }),
  });
  const results = await createKurtImportPort(kurt).createLinks([
    { url: "https://example.com/a", code: "abc", tags: [] },
    { url: "https://example.com/b", code: "def", tags: [] },
  ]);
  assert.equal(results, [
    { link: { code: "abc", url: "https://example.com/a" }, error: undefined },
    { link: undefined, error: { code: 6, message: "taken" } },
  ]);
  assert.equal(calls[0]?.args[1], { deadlineMs: 120_000 });
});

test("a batch the rate limit refused becomes RetryLater with the wait the server named", async () => {
  const { kurt } = client({
    batchCreateLinks: () => {
      throw new KurtError("resource_exhausted", "write rate limit of 50 per second exceeded; retry in 340 ms");
    },
  });
  try {
    await createKurtImportPort(kurt).createLinks([{ url: "https://example.com/a", tags: [] }]);
    assert.unreachable();
  } catch (error) {
    assert.instance(error, RetryLater);
    assert.is((error as RetryLater).afterMs, 340);
  }
});

test("getLink answers undefined for not_found, the link otherwise", async () => {
  const { kurt, calls } = client({
    getLink: (code) => {
      if (code === "gone") throw new KurtError("not_found", "no link");
      return link(code as string, "https://example.com/x");
    },
  });
  const port = createKurtImportPort(kurt);
  assert.is(await port.getLink("gone", undefined), undefined);
  assert.equal(await port.getLink("here", "go.example.com"), { code: "here", url: "https://example.com/x" });
  assert.equal(calls[1]?.args, ["here", { domain: "go.example.com" }]);
});

test("findLinkByUrl searches the default domain by its listed name, and matches the URL exactly", async () => {
  const { kurt, calls } = client({
    listDomains: () => ({ domains: [{ domain: "kurt.localhost:24080", isDefault: true }] }),
    listLinks: () => ({
      links: [link("a1", "https://example.com/x/longer"), link("b2", "https://example.com/x")],
      nextPageToken: "",
    }),
  });
  const port = createKurtImportPort(kurt);
  assert.equal(await port.findLinkByUrl("https://example.com/x", undefined), {
    code: "b2",
    url: "https://example.com/x",
  });
  await port.findLinkByUrl("https://example.com/y", undefined);
  assert.equal(
    calls.map((c) => c.method),
    ["listDomains", "listLinks", "listLinks"],
    "the default domain's name is asked once",
  );
  assert.equal(calls[1]?.args, [
    { domain: "kurt.localhost:24080", query: "https://example.com/x", pageSize: 100, pageToken: "" },
  ]);
});

test("findLinkByUrl searches by the form Kurt stores, cut to the 200 characters a query may have", async () => {
  const long = `https://例え.jp/${"p".repeat(300)}`;
  const stored = new URL(long).href;
  const { kurt, calls } = client({
    listLinks: () => ({ links: [link("c3", stored)], nextPageToken: "" }),
  });
  const found = await createKurtImportPort(kurt).findLinkByUrl(long, "go.example.com");
  assert.equal(found, { code: "c3", url: stored });
  const query = (calls[0]?.args[0] as { query: string } | undefined)?.query ?? "";
  assert.is(query, stored.slice(0, 200));
  assert.ok(query.startsWith("https://xn--r8jz45g.jp/"), query);
});

test.run();

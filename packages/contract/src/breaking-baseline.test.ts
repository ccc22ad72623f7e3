import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";

// `./kurt test` runs `buf breaking --against` this baseline: the contract as clients have it.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const baseline = path.join(root, "packages/contract/baseline/kurt-v1.image.json");
const buf = path.join(root, "node_modules/.bin/buf");

function breakingIn(edit: (proto: string) => string): Promise<{ code: number; output: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), "kurt-breaking-"));
  cpSync(path.join(root, "proto"), path.join(dir, "proto"), { recursive: true });
  cpSync(path.join(root, "buf.yaml"), path.join(dir, "buf.yaml"));
  const file = path.join(dir, "proto/kurt/v1/resolver_service.proto");
  writeFileSync(file, edit(readFileSync(file, "utf8")));
  return new Promise((resolve) =>
    execFile(buf, ["breaking", "--against", baseline], { cwd: dir }, (error, stdout, stderr) => {
      rmSync(dir, { recursive: true, force: true });
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` });
    }),
  );
}

function replaceOnce(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `the proto still has ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

test("the contract as it is now is compatible with the baseline", async () => {
  const { code, output } = await breakingIn((proto) => proto);
  assert.is(code, 0, output);
});

test("renaming a field that clients use is caught", async () => {
  const { code, output } = await breakingIn((proto) => replaceOnce(proto, "string url = 1;", "string target = 1;"));
  assert.is.not(code, 0);
  assert.match(output, /ResolveResponse.*changed name from "url" to "target"/);
});

test("removing a field is caught", async () => {
  const { code, output } = await breakingIn((proto) => replaceOnce(proto, "string url = 1;", ""));
  assert.is.not(code, 0);
  assert.match(output, /deleted/i);
});

test("adding a field is not a break", async () => {
  const { code, output } = await breakingIn((proto) =>
    replaceOnce(proto, "string url = 1;", "string url = 1;\n  string note_for_clients = 99;"),
  );
  assert.is(code, 0, output);
});

test.run();

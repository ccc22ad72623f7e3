import { test } from "uvu";
import * as assert from "uvu/assert";
import { HOST_PORT_ITEM } from "./config.js";
import { describeDefault, describeType, renderConfigDoc } from "./config-doc.js";

const schema = {
  PORT: { kind: "port", description: "where it listens" },
  SIZE: { kind: "integer", min: 1, max: 10, default: 5, description: "how many" },
  FLOOR: { kind: "integer", min: 0, default: 0, description: "at least zero" },
  LEVEL: { kind: "enum", values: ["info", "debug"], default: "info", description: "log level" },
  URL: { kind: "string", secret: true, pattern: /^a|b$/, description: "a secret" },
  NODES: { kind: "list", item: HOST_PORT_ITEM, description: "seed nodes" },
  MORE: { kind: "list", default: [], description: "optional | extra" },
  FLAG: { kind: "boolean", default: false, description: "a flag" },
} as const;

test("each kind is described by the values it accepts", () => {
  assert.is(describeType(schema.PORT), "port (1–65535)");
  assert.is(describeType(schema.SIZE), "integer, 1–10");
  assert.is(describeType(schema.FLOOR), "integer, ≥ 0");
  assert.is(describeType(schema.LEVEL), "one of `info`, `debug`");
  assert.is(describeType(schema.URL), "string matching `^a|b$`");
  assert.is(describeType(schema.NODES), "comma-separated `host:port` list");
  assert.is(describeDefault(schema.MORE), "(empty)");
  assert.is(describeDefault(schema.FLAG), "`false`");
  assert.is(describeDefault(schema.PORT), "");
});

test("every variable gets one table row, with required, secret and a pipe kept inside its cell", () => {
  const doc = renderConfigDoc({ title: "T", intro: "i", sections: [{ title: "S", intro: "j", schema }] });
  const rows = doc.split("\n").filter((line) => line.startsWith("| `"));
  assert.is(rows.length, Object.keys(schema).length);
  assert.ok(rows[0]?.includes("| `PORT` | port (1–65535) |  | yes |  | where it listens |"), rows[0]);
  assert.ok(rows[4]?.includes("string matching `^a\\|b$` |  | yes | yes | a secret |"), rows[4]);
  assert.ok(rows[6]?.includes("optional \\| extra"), rows[6]);
});

test.run();

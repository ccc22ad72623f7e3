import { test } from "uvu";
import * as assert from "uvu/assert";
import { ConfigError, HOST_PORT_ITEM, loadConfig } from "./config.js";

const schema = {
  PORT: { kind: "port", description: "listener" },
  LEVEL: { kind: "enum", values: ["info", "debug"], default: "info", description: "log level" },
  SIZE: { kind: "integer", min: 1, max: 10, default: 5, description: "size" },
  FLAG: { kind: "boolean", default: false, description: "a flag" },
  TOKEN: { kind: "string", secret: true, pattern: /^[a-z]+$/, default: "abc", description: "secret" },
} as const;

test("valid values are parsed, defaults fill the rest, and the result is frozen", () => {
  const config = loadConfig(schema, { PORT: "8080", FLAG: "true" });
  assert.equal({ ...config }, { PORT: 8080, LEVEL: "info", SIZE: 5, FLAG: true, TOKEN: "abc" });
  assert.ok(Object.isFrozen(config));
});

test("every bad variable is named in one error", () => {
  try {
    loadConfig(schema, { PORT: "70000", LEVEL: "loud", SIZE: "x" });
    assert.unreachable("should have thrown");
  } catch (error) {
    assert.instance(error, ConfigError);
    const problems = (error as ConfigError).problems.join("\n");
    assert.match(problems, /PORT must be between 1 and 65535, got "70000"/);
    assert.match(problems, /LEVEL must be one of info, debug, got "loud"/);
    assert.match(problems, /SIZE must be a whole number, got "x"/);
  }
});

test("a missing required variable is reported with its meaning", () => {
  assert.throws(() => loadConfig(schema, {}), /PORT is required \(listener\)/);
});

test("a secret's value never appears in the error", () => {
  try {
    loadConfig(schema, { PORT: "1", TOKEN: "SECRET-123" });
    assert.unreachable("should have thrown");
  } catch (error) {
    assert.not.match((error as Error).message, /SECRET-123/);
    assert.match((error as Error).message, /TOKEN is malformed/);
  }
});

test("a list is checked item by item, and one without a default needs an item", () => {
  const lists = {
    BROKERS: { kind: "list", item: HOST_PORT_ITEM, description: "brokers" },
    EXTRA: { kind: "list", default: [], description: "optional" },
  } as const;
  assert.equal(loadConfig(lists, { BROKERS: "a:1, [::1]:2,10.0.0.1:9092" }).BROKERS, [
    "a:1",
    "[::1]:2",
    "10.0.0.1:9092",
  ]);
  assert.throws(
    () => loadConfig(lists, { BROKERS: "a:1,kafka" }),
    /BROKERS must be a comma-separated list of host:port, got "kafka"/,
  );
  assert.throws(() => loadConfig(lists, { BROKERS: " , " }), /BROKERS needs at least one item/);
  assert.equal(loadConfig(lists, { BROKERS: "a:1", EXTRA: "," }).EXTRA, []);
});

test.run();

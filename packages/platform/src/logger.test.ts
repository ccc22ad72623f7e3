import { test } from "uvu";
import * as assert from "uvu/assert";
import { createLogger } from "./logger.js";
import { toggleDebug } from "./service-runtime.js";

function capture(level: "debug" | "info" | "warn" | "error" = "info") {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level, base: { service: "t" } }, (line) => {
    assert.ok(line.endsWith("\n") && !line.slice(0, -1).includes("\n"), "one line per event");
    lines.push(JSON.parse(line));
  });
  return { logger, lines };
}

test("a child's line carries its fields (the request id) beside the base ones", () => {
  const { logger, lines } = capture();
  logger.child({ requestId: "r-1" }).info("link created", { code: "abc" });
  assert.equal(
    { ...lines[0], time: undefined },
    {
      time: undefined,
      level: "info",
      service: "t",
      requestId: "r-1",
      msg: "link created",
      code: "abc",
    },
  );
});

test("lines below the level are not written, and enabled() says so", () => {
  const { logger, lines } = capture("info");
  logger.debug("hidden");
  assert.is(lines.length, 0);
  assert.not.ok(logger.enabled("debug"));
  assert.ok(logger.enabled("warn"));
});

test("a level change reaches children made before it", () => {
  const { logger, lines } = capture("info");
  const child = logger.child({ requestId: "r-2" });
  logger.setLevel("debug");
  child.debug("call");
  assert.is(lines.length, 1);
  assert.ok(child.enabled("debug"));
});

test("SIGUSR2's toggle goes to debug and back to the configured level, logging both", () => {
  const { logger, lines } = capture("warn");
  toggleDebug(logger, "warn");
  assert.is(logger.level, "debug");
  toggleDebug(logger, "warn");
  assert.is(logger.level, "warn");
  assert.equal(
    lines.map(({ level, msg, logLevel, signal }) => ({ level, msg, logLevel, signal })),
    [
      { level: "info", msg: "log level changed", logLevel: "debug", signal: "SIGUSR2" },
      { level: "info", msg: "log level changed", logLevel: "warn", signal: "SIGUSR2" },
    ],
  );
});

test.run();

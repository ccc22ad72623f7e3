import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { collectStatus, down, up } from "../commands.js";
import { postgresDataDirs } from "../components/postgres.js";
import type { Stack } from "../stack.js";

const SDK_SUITES = [
  { title: "Python SDK (pytest)", program: "python3", script: "sdk/python/test.sh" },
  { title: "Go SDK (go test)", program: "go", script: "sdk/go/test.sh" },
];

function hasProgram(name: string): boolean {
  return (process.env.PATH ?? "").split(":").some((dir) => dir !== "" && existsSync(`${dir}/${name}`));
}

interface Step {
  readonly title: string;
  readonly command: string;
  readonly args: readonly string[];
}

/** uvu's patterns: unit tests beside the code need no stack; integration tests and tests/ need it (DESIGN.md §3). */
const UNIT_TESTS = ["(?<!\\.integration)\\.test\\.ts$", "-i", "^\\.kurt", "-i", "^tests/"];
const STACK_TESTS = ["(\\.integration\\.test\\.ts|^tests/.*\\.test\\.ts)$", "-i", "^\\.kurt"];
/** uvu's run, which exits once the last suite has reported (run-suites.ts says why). */
const RUN_SUITES = "tools/kurt/src/test-runner/run-suites.ts";

interface Summary {
  readonly total: number;
  readonly passed: number;
  readonly skipped: number;
}

/** uvu's summary is "Total: N / Passed: N / Skipped: N"; null when the run crashed before it. */
function uvuSummary(output: string): Summary | null {
  const match = /Total:\s+(\d+)[\s\S]*?Passed:\s+(\d+)[\s\S]*?Skipped:\s+(\d+)/.exec(output);
  if (match === null) return null;
  const [total, passed, skipped] = match.slice(1).map(Number) as [number, number, number];
  return { total, passed, skipped };
}

function run(root: string, step: Step, onOutput?: (text: string) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(step.command, [...step.args], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      process.stdout.write(chunk);
      onOutput?.(chunk);
    });
    child.once("error", reject);
    child.once("close", (code) => resolve(code ?? 1));
    // A daemon the suites started (a Postgres member they restarted) may keep a copy of the child's stdout open
    // after the child has ended, and then "close" never comes: its output is read for a moment more, then no longer.
    child.once("exit", (code) => {
      setTimeout(() => {
        child.stdout.destroy();
        resolve(code ?? 1);
      }, STDOUT_GRACE_MS);
    });
  });
}

/** How long the output of an ended step is still read. */
const STDOUT_GRACE_MS = 2_000;

/**
 * `npm test`: the static checks, the unit tests (no stack needed), then the
 * integration tests and the suites in tests/ against the real stack.
 * It reuses a stack that is already up, and stops one it started itself
 * (unless KURT_KEEP_STACK=1) so that a test run leaves the machine as it was;
 * when it started from no data at all, it removes the data it made too.
 */
export async function testCommand(stack: Stack, env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const { root } = stack.context.paths;
  const { say } = stack.context;
  const bin = (name: string) => `${root}/node_modules/.bin/${name}`;
  const checks: Step[] = [
    { title: "types", command: bin("tsc"), args: ["-p", "tsconfig.json", "--noEmit"] },
    { title: "lint and format", command: bin("biome"), args: ["check", "."] },
    { title: "dependency rules", command: "npm", args: ["run", "--silent", "lint:deps"] },
    { title: "proto lint", command: bin("buf"), args: ["lint"] },
    {
      // CI tests a clone of main, so "against main" would compare main with itself: the baseline is a file (ADR 0007).
      title: "no breaking change to the contract",
      command: bin("buf"),
      args: ["breaking", "--against", "packages/contract/baseline/kurt-v1.image.json"],
    },
    {
      title: "generated code is current",
      command: process.execPath,
      args: ["--import", "tsx", "scripts/generate.ts", "--check"],
    },
  ];
  for (const check of checks) {
    say(`check: ${check.title}`);
    const code = await run(root, check);
    if (code !== 0) {
      say(`check failed: ${check.title}`);
      return code;
    }
  }

  // Unit tests first, on their own: they need no stack, so a failure shows before one starts.
  say("suites: unit tests");
  let unitOutput = "";
  const unitCode = await run(
    root,
    {
      title: "unit tests",
      command: process.execPath,
      args: ["--import", "tsx", RUN_SUITES, ".", ...UNIT_TESTS],
    },
    (text) => {
      unitOutput += text;
    },
  );
  const unit = uvuSummary(unitOutput);
  if (unit === null) {
    say(`the unit tests ended before their summary (exit code ${unitCode}): a test crashed the run`);
    return unitCode === 0 ? 1 : unitCode;
  }

  const alreadyUp = (await collectStatus(stack)).every((line) => line.up);
  // A run that starts with no data at all (a fresh clone, CI) also removes the data it made.
  const fresh = postgresDataDirs(stack.context).length === 0;
  let output = "";
  let code: number;
  const sdkResults: string[] = [];
  try {
    if (alreadyUp) say("reusing the running stack");
    else await up(stack);
    say("suites: integration tests and tests/");
    code = await run(
      root,
      {
        title: "suites",
        command: process.execPath,
        // Integration tests beside the code and the suites in tests/, in one run.
        args: ["--import", "tsx", RUN_SUITES, ".", ...STACK_TESTS],
      },
      (text) => {
        output += text;
      },
    );
    // The Python and Go SDKs are tested by their own runners, where their toolchains are present.
    for (const sdk of SDK_SUITES) {
      if (!hasProgram(sdk.program)) {
        say(`skipping the ${sdk.title} tests: ${sdk.program} is not installed`);
        continue;
      }
      say(`suites: ${sdk.title}`);
      const sdkCode = await run(root, { title: sdk.title, command: sdk.script, args: [] });
      sdkResults.push(`${sdk.title}: ${sdkCode === 0 ? "passed" : `failed (exit code ${sdkCode})`}`);
      if (sdkCode !== 0 && code === 0) code = sdkCode;
    }
  } finally {
    // Also when `up` failed half-way: what this run started, it stops.
    if (!alreadyUp && env.KURT_KEEP_STACK !== "1") {
      say("stopping the stack this test run started");
      await down(stack, fresh);
    }
  }

  const onStack = uvuSummary(output);
  if (onStack === null) {
    say(`the suites ended before their summary (exit code ${code}): a test crashed the run`);
    return code === 0 ? 1 : code;
  }
  if (code === 0) code = unitCode;
  for (const line of sdkResults) say(line);
  // Both uvu runs in the plain form CI tools read.
  const total = unit.total + onStack.total;
  const passed = unit.passed + onStack.passed;
  const skipped = unit.skipped + onStack.skipped;
  console.log(`${passed} passed, ${total - passed - skipped} failed, ${skipped} skipped`);
  if (total === 0) {
    say("no test ran");
    return 1;
  }
  return code;
}

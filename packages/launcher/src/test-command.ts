import { spawn } from "node:child_process";
import { collectStatus, down, up } from "./commands.js";
import { postgresDataDirs } from "./components/postgres.js";
import type { Stack } from "./stack.js";

interface Step {
  readonly title: string;
  readonly command: string;
  readonly args: readonly string[];
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
  });
}

/**
 * `npm test`: the static checks, then the suites against the real stack.
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
    { title: "proto lint", command: bin("buf"), args: ["lint"] },
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

  const alreadyUp = (await collectStatus(stack)).every((line) => line.up);
  // A run that starts with no data at all (a fresh clone, CI) also removes the data it made.
  const fresh = postgresDataDirs(stack.context).length === 0;
  let output = "";
  let code: number;
  try {
    if (alreadyUp) say("reusing the running stack");
    else await up(stack);
    code = await run(
      root,
      {
        title: "suites",
        command: process.execPath,
        // Unit tests beside the code and the suites in tests/, in one run.
        args: ["--import", "tsx", bin("uvu"), ".", "\\.test\\.ts$", "-i", "^\\.kurt", "--no-color"],
      },
      (text) => {
        output += text;
      },
    );
  } finally {
    // Also when `up` failed half-way: what this run started, it stops.
    if (!alreadyUp && env.KURT_KEEP_STACK !== "1") {
      say("stopping the stack this test run started");
      await down(stack, fresh);
    }
  }

  // uvu's summary is "Total: N / Passed: N"; say it also in the plain form CI tools read.
  const summary = /Total:\s+(\d+)[\s\S]*?Passed:\s+(\d+)[\s\S]*?Skipped:\s+(\d+)/.exec(output);
  if (summary === null) {
    say(`the suites ended before their summary (exit code ${code}): a test crashed the run`);
    return code === 0 ? 1 : code;
  }
  const [total, passed, skipped] = summary.slice(1).map(Number) as [number, number, number];
  console.log(`${passed} passed, ${total - passed - skipped} failed, ${skipped} skipped`);
  if (total === 0) {
    say("no test ran");
    return 1;
  }
  return code;
}

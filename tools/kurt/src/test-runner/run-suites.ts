/**
 * uvu's run, ended as soon as the last suite has reported:
 *   node --import tsx run-suites.ts DIR PATTERN [-i IGNORE]…
 * uvu's own command waits for the event loop to drain, so one test that
 * leaves something open (a client it did not close, a pipe to a process it
 * started) would hold `npm test` after its summary until CI's time limit: CI
 * run f1db388 printed the stack suites' summary and then sat there. The exit
 * code is uvu's (1 when a test failed).
 */
import { parse } from "uvu/parse";
import { run } from "uvu/run";
import { suiteArguments } from "./suite-arguments.js";

const { dir, pattern, ignore } = suiteArguments(process.argv.slice(2));
const { suites } = await parse(dir, pattern, { ignore });
await run(suites, { bail: false });
// What uvu printed is written out before the process ends.
process.stdout.write("", () => process.exit(process.exitCode ?? 0));

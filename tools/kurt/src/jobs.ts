import path from "node:path";
import { ensureBundles, IMAGE_ENTRIES } from "./bundles.js";
import type { ComponentContext } from "./components/component.js";
import { runCommand } from "./run-command.js";

/** The one-shot jobs of packages/jobs that `./kurt up` runs between the data stores and the services. */
export type JobName = "migrate" | "kafka-topics" | "admin-key";

/**
 * Runs a job from the bundle the container image runs (what runs is what
 * ships): its output lines go to `say`; a failure throws with what it wrote
 * on stderr. The job reads only the variables it declares, from `env`.
 */
export async function runJob(
  ctx: Pick<ComponentContext, "paths" | "say">,
  job: JobName,
  env: Readonly<Record<string, string>>,
): Promise<void> {
  const { root } = ctx.paths;
  await ensureBundles(root, [job]);
  const result = await runCommand(process.execPath, [path.join(root, IMAGE_ENTRIES[job].bundle)], { cwd: root, env });
  for (const line of result.stdout.split("\n")) if (line.trim() !== "") ctx.say(line);
  if (result.code !== 0) {
    const why = result.stderr.trim().split("\n").slice(-10).join("\n") || `exit code ${result.code}`;
    throw new Error(`the ${job} job failed: ${why}`);
  }
}

import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The repository's root, where `./kurt` lives. */
export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

/** What a `./kurt …` command did. */
export interface KurtOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `./kurt <args…>` as a person or a script would, with KURT_API_KEY and
 * KURT_GRPC unset: the command finds the admin key and the address itself.
 */
export function runKurt(args: readonly string[]): Promise<KurtOutcome> {
  const env = { ...process.env };
  delete env.KURT_API_KEY;
  delete env.KURT_GRPC;
  return new Promise((resolve, reject) => {
    const child = spawn(`${repoRoot}/kurt`, [...args], { cwd: repoRoot, env });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

import { existsSync } from "node:fs";
import { runCommand } from "./run-command.js";

/**
 * Installs Debian packages that provide the given programs when any is
 * missing. As root it runs apt-get itself; otherwise it stops with the one
 * command the person should run, since a launcher must not ask for a password.
 */
export async function ensureDebianPackages(
  say: (line: string) => void,
  wanted: ReadonlyArray<{ readonly program: string; readonly pkg: string }>,
): Promise<void> {
  const missing = wanted.filter(({ program }) => !existsSync(program));
  if (missing.length === 0) return;
  const pkgs = [...new Set(missing.map(({ pkg }) => pkg))];
  const command = `apt-get update && apt-get install -y --no-install-recommends ${pkgs.join(" ")}`;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing ${missing.map((m) => m.program).join(", ")}; run as root:\n  sudo sh -c '${command}'`);
  }
  say(`installing Debian packages: ${pkgs.join(" ")}`);
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  const update = await runCommand("apt-get", ["update"], { env });
  if (update.code !== 0) throw new Error(`apt-get update failed:\n${update.stderr.trim()}`);
  const install = await runCommand("apt-get", ["install", "-y", "--no-install-recommends", ...pkgs], { env });
  if (install.code !== 0) throw new Error(`apt-get install ${pkgs.join(" ")} failed:\n${install.stderr.trim()}`);
  const stillMissing = missing.filter(({ program }) => !existsSync(program));
  if (stillMissing.length > 0) {
    throw new Error(
      `apt-get installed ${pkgs.join(" ")} but ${stillMissing.map((m) => m.program).join(", ")} is still missing`,
    );
  }
}

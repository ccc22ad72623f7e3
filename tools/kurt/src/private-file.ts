import { randomBytes } from "node:crypto";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Writes `content` to a new file of mode 0600 beside `file`, so that nobody else can read it at any moment. */
export function privateTempFile(file: string, content: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeFileSync(temp, content, { mode: 0o600, flag: "wx" });
  return temp;
}

/** Writes a file only its owner can read, replacing it whole (rename), so that no reader sees it half-written. */
export function writePrivateFile(file: string, content: string): void {
  const temp = privateTempFile(file, content);
  try {
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

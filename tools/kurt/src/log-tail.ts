import { existsSync, readFileSync } from "node:fs";

/** The last lines of a log file, for a failure message. */
export function tailOf(file: string, lines = 25): string {
  if (!existsSync(file)) return `(no log at ${file})`;
  const text = readFileSync(file, "utf8").trimEnd();
  return text.split("\n").slice(-lines).join("\n");
}

import { closeSync, openSync, readSync, statSync } from "node:fs";

/** Size of a log file now, so that a later read sees only what this start appended. */
export function logSizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * The last ERROR line, or failing cause, written to a log after `offset`:
 * a broker that exits at start-up names its reason (a port in use, a bad
 * property) there, buried under its shutdown messages.
 */
export function lastErrorSince(file: string, offset: number): string | undefined {
  let text: string;
  try {
    const size = statSync(file).size;
    const from = Math.max(offset, size - 256 * 1024);
    const buffer = Buffer.alloc(Math.max(0, size - from));
    const fd = openSync(file, "r");
    try {
      readSync(fd, buffer, 0, buffer.length, from);
    } finally {
      closeSync(fd);
    }
    text = buffer.toString("utf8");
  } catch {
    return undefined;
  }
  const lines = text.split("\n");
  const causes = lines.filter((line) => /^Caused by: /.test(line));
  const errors = lines.filter((line) => /^\[[^\]]+\] (ERROR|FATAL) /.test(line));
  return (causes.at(-1) ?? errors.at(-1))?.trim();
}

import { createInterface } from "node:readline";
import type { Readable } from "node:stream";

/**
 * The first line of `input` without its line break (`\n` or `\r\n`), or
 * undefined when it ends before giving any: what `--password-stdin` reads,
 * so that a password never sits in the shell's history or in `ps`.
 * The rest of the input is left unread.
 */
export function readFirstLine(input: Readable): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY, terminal: false });
    let first: string | undefined;
    lines.once("line", (line) => {
      first = line;
      lines.close();
    });
    lines.once("close", () => {
      // Without this an open stdin (a terminal) would keep the process alive after the command.
      input.pause();
      resolve(first);
    });
    input.once("error", reject);
  });
}

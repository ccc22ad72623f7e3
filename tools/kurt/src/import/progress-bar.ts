/** Where progress goes: stderr, and whether it is a terminal. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

export interface Progress {
  update(done: number): void;
  /** Draws the last state; later calls do nothing. */
  finish(): void;
}

const group = (n: number) => n.toLocaleString("en-US");

/**
 * A progress bar redrawn in place on a terminal (at most every 100 ms), or a
 * plain line every few seconds elsewhere (a log, CI), so neither floods.
 */
export function createProgress(
  stream: ProgressStream,
  total: number,
  options: { now?: () => number; plainEveryMs?: number } = {},
): Progress {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const interval = stream.isTTY === true ? 100 : (options.plainEveryMs ?? 5_000);
  // A terminal shows the bar at once; a log gets its first line after one interval.
  let last = stream.isTTY === true ? Number.NEGATIVE_INFINITY : started;
  let done = 0;
  let shown = -1;
  let finished = false;

  const line = () => {
    const seconds = Math.max((now() - started) / 1_000, 0.001);
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    const rate = `${group(Math.round(done / seconds))}/s`;
    const counts = `${group(done)}/${group(total)} ${percent}% ${rate}`;
    if (stream.isTTY !== true) return `import: ${counts}\n`;
    const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - counts.length - 12));
    const filled = total === 0 ? width : Math.round((done / total) * width);
    return `\r\x1b[2Kimport [${"█".repeat(filled)}${"░".repeat(width - filled)}] ${counts}`;
  };
  const draw = () => {
    stream.write(line());
    shown = done;
    last = now();
  };

  return {
    update(value) {
      done = value;
      if (now() - last >= interval) draw();
    },
    finish() {
      if (finished) return;
      finished = true;
      if (shown !== done || stream.isTTY === true) draw();
      if (stream.isTTY === true) stream.write("\n");
    },
  };
}

import type { Logger } from "@kurt/platform";

/**
 * Runs `task` now and then every `intervalMs`; after a failure (the database
 * is down) it tries again after `retryMs` instead of waiting a whole interval.
 * Never overlaps itself.
 */
export function startPeriodicTask(options: {
  readonly name: string;
  readonly intervalMs: number;
  readonly retryMs: number;
  readonly task: () => Promise<void>;
  readonly logger: Logger;
}): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const run = () => {
    running = options
      .task()
      .then(
        () => options.intervalMs,
        (error: unknown) => {
          options.logger.warn(`${options.name} failed; retrying`, { retryInMs: options.retryMs, error });
          return options.retryMs;
        },
      )
      .then((nextMs) => {
        running = undefined;
        if (stopped) return;
        timer = setTimeout(run, nextMs);
        timer.unref();
      });
  };
  run();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

import { redactSecrets } from "./redact-secrets.js";

/**
 * JSON logs, one line per event. Fields are flat so that `jq` and log
 * shippers read them directly; `child` adds fields such as the request id.
 */

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
  /** Whether a line at this level would be written: lets a hot path skip building fields it would not use. */
  enabled(level: LogLevel): boolean;
}

/** The root logger of a process, whose level (shared by all its children) can change while it runs. */
export interface RootLogger extends Logger {
  setLevel(level: LogLevel): void;
  readonly level: LogLevel;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function serializeError(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

export function createLogger(
  options: { level: LogLevel; base: LogFields },
  write: (line: string) => void = (line) => process.stdout.write(line),
): RootLogger {
  let level = options.level;
  let threshold = ORDER[level];
  const make = (bound: LogFields): Logger => {
    const emit = (level: LogLevel, msg: string, fields?: LogFields) => {
      if (ORDER[level] < threshold) return;
      const record: Record<string, unknown> = { time: new Date().toISOString(), level, ...bound, msg };
      if (fields) for (const [key, value] of Object.entries(fields)) record[key] = serializeError(value);
      write(`${redactSecrets(JSON.stringify(record))}\n`);
    };
    return {
      debug: (msg, fields) => emit("debug", msg, fields),
      info: (msg, fields) => emit("info", msg, fields),
      warn: (msg, fields) => emit("warn", msg, fields),
      error: (msg, fields) => emit("error", msg, fields),
      child: (fields) => make({ ...bound, ...fields }),
      enabled: (wanted) => ORDER[wanted] >= threshold,
    };
  };
  const root = make(options.base);
  return {
    ...root,
    get level() {
      return level;
    },
    setLevel(next) {
      level = next;
      threshold = ORDER[next];
    },
  };
}

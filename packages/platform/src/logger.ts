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
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function serializeError(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

export function createLogger(
  options: { level: LogLevel; base: LogFields },
  write: (line: string) => void = (line) => process.stdout.write(line),
): Logger {
  const threshold = ORDER[options.level];
  const make = (bound: LogFields): Logger => {
    const emit = (level: LogLevel, msg: string, fields?: LogFields) => {
      if (ORDER[level] < threshold) return;
      const record: Record<string, unknown> = { time: new Date().toISOString(), level, ...bound, msg };
      if (fields) for (const [key, value] of Object.entries(fields)) record[key] = serializeError(value);
      write(`${JSON.stringify(record)}\n`);
    };
    return {
      debug: (msg, fields) => emit("debug", msg, fields),
      info: (msg, fields) => emit("info", msg, fields),
      warn: (msg, fields) => emit("warn", msg, fields),
      error: (msg, fields) => emit("error", msg, fields),
      child: (fields) => make({ ...bound, ...fields }),
    };
  };
  return make(options.base);
}

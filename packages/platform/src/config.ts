/**
 * Environment configuration, read once at start-up. A service declares a
 * schema; `loadConfig` validates every variable, reports every bad one by
 * name in one error, and returns a frozen object. Nothing else in a service
 * reads process.env.
 */

type Env = Readonly<Record<string, string | undefined>>;

interface FieldBase<T> {
  readonly description: string;
  readonly default?: T;
  /** Never echo the value in an error or a log line. */
  readonly secret?: boolean;
}

export type ConfigField =
  | (FieldBase<number> & { readonly kind: "port" })
  | (FieldBase<number> & { readonly kind: "integer"; readonly min?: number; readonly max?: number })
  | (FieldBase<string> & { readonly kind: "string"; readonly pattern?: RegExp })
  | (FieldBase<string> & { readonly kind: "enum"; readonly values: readonly string[] })
  | (FieldBase<boolean> & { readonly kind: "boolean" })
  | (FieldBase<readonly string[]> & { readonly kind: "list"; readonly item?: ListItemRule });

/** What each item of a comma-separated list must look like, and how the docs and errors name that shape. */
export interface ListItemRule {
  readonly pattern: RegExp;
  readonly format: string;
}

/** `host:port`, the shape of Redis seed nodes and Kafka brokers (host: a name, IPv4, or bracketed IPv6). */
export const HOST_PORT_ITEM: ListItemRule = {
  pattern: /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/,
  format: "host:port",
};

export type ConfigSchema = Readonly<Record<string, ConfigField>>;

type ValueOf<F extends ConfigField> = F extends { kind: "port" | "integer" }
  ? number
  : F extends { kind: "boolean" }
    ? boolean
    : F extends { kind: "list" }
      ? readonly string[]
      : string;

export type ConfigOf<S extends ConfigSchema> = { readonly [K in keyof S]: ValueOf<S[K]> };

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration: ${problems.join("; ")}`);
    this.name = "ConfigError";
  }
}

function parseField(name: string, field: ConfigField, raw: string): unknown {
  const shown = field.secret ? "(secret value)" : JSON.stringify(raw);
  switch (field.kind) {
    case "port":
    case "integer": {
      if (!/^-?\d+$/.test(raw)) throw new Error(`${name} must be a whole number, got ${shown}`);
      const value = Number(raw);
      const [min, max] = field.kind === "port" ? [1, 65535] : [field.min ?? -Infinity, field.max ?? Infinity];
      if (value < min || value > max) throw new Error(`${name} must be between ${min} and ${max}, got ${shown}`);
      return value;
    }
    case "boolean":
      if (raw === "true" || raw === "1") return true;
      if (raw === "false" || raw === "0") return false;
      throw new Error(`${name} must be true or false, got ${shown}`);
    case "enum":
      if (!field.values.includes(raw))
        throw new Error(`${name} must be one of ${field.values.join(", ")}, got ${shown}`);
      return raw;
    case "list": {
      const items = raw
        .split(",")
        .map((item) => item.trim())
        .filter((item) => item !== "");
      if (items.length === 0 && field.default === undefined)
        throw new Error(`${name} needs at least one item, got ${shown}`);
      const bad = field.item ? items.find((item) => !field.item?.pattern.test(item)) : undefined;
      if (bad !== undefined)
        throw new Error(
          `${name} must be a comma-separated list of ${field.item?.format}, got ${field.secret ? shown : JSON.stringify(bad)}`,
        );
      return Object.freeze(items);
    }
    case "string":
      if (field.pattern && !field.pattern.test(raw)) throw new Error(`${name} is malformed: got ${shown}`);
      return raw;
  }
}

export function loadConfig<S extends ConfigSchema>(schema: S, env: Env = process.env): ConfigOf<S> {
  const problems: string[] = [];
  const result: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema)) {
    const raw = env[name];
    if (raw === undefined || raw === "") {
      if (field.default === undefined) problems.push(`${name} is required (${field.description})`);
      else result[name] = field.default;
      continue;
    }
    try {
      result[name] = parseField(name, field, raw);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(result) as ConfigOf<S>;
}

/** The variables every service reads, shared so that the launcher sets them the same way for all. */
export const commonConfigSchema = {
  KURT_GRPC_HOST: { kind: "string", default: "127.0.0.1", description: "Address the gRPC server binds to" },
  KURT_GRPC_PORT: { kind: "port", description: "Port of the gRPC server" },
  KURT_METRICS_PORT: { kind: "port", description: "Port of the Prometheus /metrics endpoint" },
  KURT_LOG_LEVEL: {
    kind: "enum",
    values: ["debug", "info", "warn", "error"],
    default: "info",
    description:
      "Lowest level of log lines written; SIGUSR2 switches a running replica to debug (one line per gRPC call) and back",
  },
  KURT_INSTANCE: { kind: "string", default: "1", description: "Replica name used in logs and metrics" },
  KURT_DRAIN_MS: {
    kind: "integer",
    min: 0,
    max: 60_000,
    default: 2_000,
    description: "After SIGTERM, how long to report NOT_SERVING before refusing new calls, so the gateway moves away",
  },
} as const satisfies ConfigSchema;

import type { Topology } from "@kurt/topology";
import type { Paths } from "../paths.js";
import type { Supervisor } from "../supervisor.js";

export interface ComponentContext {
  readonly topology: Topology;
  readonly paths: Paths;
  readonly supervisor: Supervisor;
  /** One line of progress for the person running the launcher. */
  readonly say: (line: string) => void;
}

export interface StatusLine {
  /** e.g. "postgres-replica", "redis-7003", "resolver-2". */
  readonly name: string;
  readonly up: boolean;
  readonly port?: number;
  readonly pid?: number;
  /** Free text: role, replay lag, cluster state… */
  readonly detail?: string;
}

/**
 * One real part of the stack. `install` and `start` are idempotent: a second
 * `kurt up` downloads nothing and leaves running processes alone. `start`
 * returns only once the component is really ready (asked, never slept on).
 */
export interface Component {
  readonly name: string;
  install(ctx: ComponentContext): Promise<void>;
  start(ctx: ComponentContext): Promise<void>;
  status(ctx: ComponentContext): Promise<StatusLine[]>;
  /** Daemon names in the order they should be stopped. */
  daemons(ctx: ComponentContext): string[];
}

/** A failure that names the component and the log to look at. */
export class ComponentError extends Error {
  constructor(
    readonly component: string,
    message: string,
    readonly logFile?: string,
  ) {
    super(`${component}: ${message}`);
    this.name = "ComponentError";
  }
}

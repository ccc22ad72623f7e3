/**
 * What `./kurt link …` and `./kurt domain …` share: the key and address,
 * the client, `--json` or text, and the exit codes (0 done, 1 the server
 * refused or could not be reached, 2 the command line is wrong).
 */
import type { Readable } from "node:stream";
import { createKurtClient, type KurtClient, KurtError } from "@kurt/sdk";
import type { Topology } from "@kurt/topology";
import { readAdminKey } from "../admin-key.js";
import type { Paths } from "../paths.js";
import { UsageError } from "./link-commands-args.js";
import { readFirstLine } from "./read-first-line.js";

export interface ClientCommandContext {
  readonly topology: Topology;
  readonly paths: Paths;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** The client to use; createKurtClient by default (tests pass a fake). */
  readonly connect?: (address: string, apiKey: string) => KurtClient;
  /** What `--password-stdin` reads; process.stdin by default (tests pass their own). */
  readonly stdin?: Readable;
}

export interface Answer {
  readonly json: unknown;
  readonly text: string;
  readonly asJson: boolean;
}

/** What a command may read besides its arguments. */
export interface CommandInput {
  /** The first line of stdin (undefined when it is empty), read only when called. */
  readonly readStdinLine: () => Promise<string | undefined>;
}

export type Run = (kurt: KurtClient, args: readonly string[], input: CommandInput) => Promise<Answer>;

export interface CommandGroup {
  /** "link" or "domain": the word after ./kurt. */
  readonly name: string;
  readonly usage: string;
  readonly commands: Readonly<Record<string, Run>>;
}

export async function runClientCommand(
  group: CommandGroup,
  args: readonly string[],
  ctx: ClientCommandContext,
): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    ctx.out(group.usage);
    return name === undefined ? 2 : 0;
  }
  const run = Object.hasOwn(group.commands, name) ? group.commands[name] : undefined;
  if (run === undefined) {
    ctx.err(`unknown ${group.name} command ${JSON.stringify(name)}\n\n${group.usage}`);
    return 2;
  }
  const apiKey = ctx.env.KURT_API_KEY || readAdminKey(ctx.paths);
  if (apiKey === undefined) {
    ctx.err("no API key: set KURT_API_KEY, or run ./kurt up, which makes the admin key");
    return 1;
  }
  const address = ctx.env.KURT_GRPC || `${ctx.topology.host}:${ctx.topology.envoy.grpcPort}`;
  const kurt = (ctx.connect ?? ((to, key) => createKurtClient({ address: to, apiKey: key })))(address, apiKey);
  try {
    const answer = await run(kurt, rest, { readStdinLine: () => readFirstLine(ctx.stdin ?? process.stdin) });
    ctx.out(answer.asJson ? JSON.stringify(answer.json, null, 2) : answer.text);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      ctx.err(`./kurt ${group.name} ${name}: ${error.message}\n\n${group.usage}`);
      return 2;
    }
    if (error instanceof KurtError) {
      const hint = error.code === "unavailable" ? ` (is the stack up at ${address}? ./kurt status)` : "";
      ctx.err(`error: ${error.code}: ${error.message}${hint}`);
      return 1;
    }
    throw error;
  } finally {
    kurt.close();
  }
}

import { Readable } from "node:stream";
import { type Domain, type Link, Stats } from "@kurt/contract";
import type { KurtClient, KurtError } from "@kurt/sdk";
import type { Topology } from "@kurt/topology";
import type { Paths } from "../../paths.js";
import type { ClientCommandContext } from "../client-command.js";

// A KurtClient that records its calls, for the unit tests of the commands:
// what a command line becomes is under test, not the server.

export const sampleLink: Link = {
  code: "launch",
  domain: "go.example.com",
  shortUrl: "http://go.example.com/launch",
  url: "https://example.com/launch",
  redirectStatus: 302,
  createdAt: new Date("2026-01-01T00:00:00Z"),
  updatedAt: new Date("2026-01-01T00:00:00Z"),
  expiresAt: undefined,
  disabled: false,
  title: undefined,
  tags: [],
  cacheSeconds: 0,
  forwardQuery: false,
  maxVisits: undefined,
  visits: 0,
  passwordProtected: false,
  rules: [],
};

export const sampleDomain: Domain = {
  domain: "go.example.com",
  rootRedirect: "https://example.com/",
  notFoundRedirect: undefined,
  isDefault: false,
  createdAt: new Date("2026-01-01T00:00:00Z"),
};

const ANSWERS: Record<string, unknown> = {
  createLink: sampleLink,
  getLink: sampleLink,
  updateLink: sampleLink,
  listLinks: { links: [sampleLink], nextPageToken: "" },
  deleteLink: undefined,
  getLinkQrCode: { contentType: "image/svg+xml", data: Buffer.from("<svg />") },
  getLinkStats: Stats.fromPartial({ code: "launch", domain: "go.example.com" }),
  createDomain: sampleDomain,
  listDomains: { domains: [sampleDomain] },
  updateDomain: sampleDomain,
  deleteDomain: sampleDomain,
};

export interface FakeRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  /** Every call the command made: method name and arguments. */
  readonly calls: readonly { method: string; args: unknown[] }[];
}

/**
 * Runs a command with a fake client; `fail` makes every call reject with that
 * KurtError; `stdin` is what the command reads from stdin (nothing by default).
 */
export async function runWithFake(
  command: (args: readonly string[], ctx: ClientCommandContext) => Promise<number>,
  args: readonly string[],
  fail?: KurtError,
  stdin = "",
): Promise<FakeRun> {
  const calls: { method: string; args: unknown[] }[] = [];
  const client = new Proxy({} as KurtClient, {
    get: (_target, method: string) =>
      method === "close"
        ? () => {}
        : async (...callArgs: unknown[]) => {
            calls.push({ method, args: callArgs });
            if (fail !== undefined) throw fail;
            return ANSWERS[method];
          },
  });
  const out: string[] = [];
  const err: string[] = [];
  const code = await command(args, {
    topology: { host: "127.0.0.1", envoy: { grpcPort: 1 } } as unknown as Topology,
    paths: { stateDir: "/nonexistent" } as Paths,
    env: { KURT_API_KEY: "kurt_test", KURT_GRPC: "127.0.0.1:1" },
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    connect: () => client,
    stdin: Readable.from(stdin === "" ? [] : [stdin]),
  });
  return { code, out: out.join("\n"), err: err.join("\n"), calls };
}

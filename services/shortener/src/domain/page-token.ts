import { invalidArgument } from "@kurt/platform/errors";

/**
 * Keyset paging for newest-first listings. A page token is opaque to
 * clients: base64url of `[1, kind, createdAtMicros, key]`, the sort key of
 * the last row sent. Paging by position rather than offset keeps every page
 * one index range scan and never repeats or skips a row when links are
 * created meanwhile. `kind` stops a token of one listing being replayed
 * against another.
 */

export interface PagePosition {
  readonly createdAtMicros: bigint;
  readonly key: string;
}

const VERSION = 1;
const MAX_TOKEN_LENGTH = 512;

export function encodePageToken(kind: string, position: PagePosition): string {
  const json = JSON.stringify([VERSION, kind, position.createdAtMicros.toString(), position.key]);
  return Buffer.from(json, "utf8").toString("base64url");
}

/** The position a token stands for; INVALID_ARGUMENT for anything a previous answer could not have sent. */
export function decodePageToken(kind: string, token: string, keyPattern: RegExp): PagePosition {
  const refuse = () => invalidArgument("pageToken", "not a token from a previous answer of this listing");
  if (token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) throw refuse();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw refuse();
  }
  if (!Array.isArray(value) || value.length !== 4) throw refuse();
  const [version, tokenKind, micros, key] = value as unknown[];
  if (version !== VERSION || tokenKind !== kind) throw refuse();
  if (typeof micros !== "string" || !/^\d{1,17}$/.test(micros)) throw refuse();
  if (typeof key !== "string" || !keyPattern.test(key)) throw refuse();
  return { createdAtMicros: BigInt(micros), key };
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** 0 means the default; larger than the maximum is capped (the proto says so); negative is refused. */
export function pageSize(requested: number): number {
  if (!Number.isInteger(requested) || requested < 0)
    throw invalidArgument("pageSize", `must be 0 (the default) or more, got ${requested}`);
  if (requested === 0) return DEFAULT_PAGE_SIZE;
  return Math.min(requested, MAX_PAGE_SIZE);
}

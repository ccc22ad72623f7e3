/**
 * Calls to a running clicklog replica's StatsService, and API keys made
 * straight in the stack's api_keys table (the tests of clicklog do not
 * depend on the shortener being up to issue them).
 */
import { credentials, Metadata, type ServiceError } from "@grpc/grpc-js";
import { displayPrefix, generateApiKeySecret, hashApiKeySecret } from "@kurt/api-keys";
import { type GetLinkStatsRequest, type Stats, StatsServiceClient } from "@kurt/contract";
import type pg from "pg";

export function statsClient(address: string): StatsServiceClient {
  return new StatsServiceClient(address, credentials.createInsecure());
}

export function getLinkStats(
  client: StatsServiceClient,
  request: Partial<GetLinkStatsRequest>,
  apiKey?: string,
): Promise<Stats> {
  const metadata = new Metadata();
  if (apiKey !== undefined) metadata.set("authorization", `Bearer ${apiKey}`);
  return new Promise((resolve, reject) =>
    client.getLinkStats(
      { code: "", interval: 0, ...request },
      metadata,
      { deadline: Date.now() + 10_000 },
      (error: ServiceError | null, response?: Stats) => (error ? reject(error) : resolve(response as Stats)),
    ),
  );
}

/** The gRPC error of a call expected to fail. */
export async function callError(call: Promise<unknown>): Promise<ServiceError> {
  try {
    await call;
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error("the call succeeded");
}

/** A key stored the way the shortener stores the keys it issues. */
export async function insertApiKey(pool: pg.Pool, scopes: readonly string[]): Promise<string> {
  const secret = generateApiKeySecret();
  await pool.query(
    "insert into api_keys (id, name, prefix, secret_hash, scopes) values ($1, 'clicklog test', $2, $3, $4)",
    [crypto.randomUUID(), displayPrefix(secret), hashApiKeySecret(secret), scopes],
  );
  return secret;
}

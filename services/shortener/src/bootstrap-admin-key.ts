import { existsSync, readFileSync } from "node:fs";
import { open, unlink } from "node:fs/promises";
import { hashApiKeySecret } from "@kurt/api-keys/secret";
import pg from "pg";
import { createPgApiKeyStore } from "./adapters/pg-api-key-store.js";
import { createApiKeyService } from "./domain/api-key-service.js";

/**
 * The first admin key of a new installation. The launcher calls this after
 * the migrations: when `keyFile` does not exist yet, it issues an admin key
 * (the same code as CreateApiKey, so the same secret format and hash) and
 * writes the secret there, readable by its owner only.
 *
 * The file is created first, exclusively and with mode 0600 from the start
 * (never chmod-ed later, so the secret is never readable by others even for
 * an instant); two launchers racing cannot both issue a key. If issuing
 * fails, the empty file is removed so that the next run tries again.
 *
 * A file whose key this database has never seen (a new database under an
 * old state folder: the Postgres data was replaced) would let nobody in, so
 * it gives way to a new key (`replaced`). A key the database knows stays,
 * revoked or not: a revocation was meant.
 */
export async function ensureAdminKey(options: {
  connectionString: string;
  keyFile: string;
}): Promise<{ created: boolean; replaced?: boolean }> {
  if (existsSync(options.keyFile)) {
    const secret = readFileSync(options.keyFile, "utf8").trim();
    // Empty: another launcher created the file a moment ago and is writing its key.
    if (secret === "" || (await isIssuedHere(options.connectionString, secret))) return { created: false };
    await unlink(options.keyFile).catch(() => {});
    const { created } = await issueInto(options);
    return created ? { created, replaced: true } : { created };
  }
  return issueInto(options);
}

async function withClient<T>(connectionString: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000 });
  client.on("error", () => {});
  try {
    await client.connect();
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

async function isIssuedHere(connectionString: string, secret: string): Promise<boolean> {
  return withClient(
    connectionString,
    async (client) => (await createPgApiKeyStore(client).findBySecretHash(hashApiKeySecret(secret))) !== undefined,
  );
}

async function issueInto(options: { connectionString: string; keyFile: string }): Promise<{ created: boolean }> {
  let file: Awaited<ReturnType<typeof open>>;
  try {
    file = await open(options.keyFile, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return { created: false };
    throw error;
  }
  try {
    await withClient(options.connectionString, async (client) => {
      const apiKeys = createApiKeyService({ store: createPgApiKeyStore(client) });
      const { secret } = await apiKeys.createKey({ name: "bootstrap admin", scopes: ["admin"] });
      await file.writeFile(`${secret}\n`, "utf8");
      await file.sync();
      await file.close();
    });
    return { created: true };
  } catch (error) {
    await file.close().catch(() => {});
    await unlink(options.keyFile).catch(() => {});
    throw error;
  }
}

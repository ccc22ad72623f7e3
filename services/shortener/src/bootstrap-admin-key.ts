import { existsSync } from "node:fs";
import { open, unlink } from "node:fs/promises";
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
 */
export async function ensureAdminKey(options: {
  connectionString: string;
  keyFile: string;
}): Promise<{ created: boolean }> {
  if (existsSync(options.keyFile)) return { created: false };
  let file: Awaited<ReturnType<typeof open>>;
  try {
    file = await open(options.keyFile, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return { created: false };
    throw error;
  }
  const client = new pg.Client({ connectionString: options.connectionString, connectionTimeoutMillis: 5_000 });
  client.on("error", () => {});
  try {
    await client.connect();
    const apiKeys = createApiKeyService({ store: createPgApiKeyStore(client) });
    const { secret } = await apiKeys.createKey({ name: "bootstrap admin", scopes: ["admin"] });
    await file.writeFile(`${secret}\n`, "utf8");
    await file.sync();
    await file.close();
    return { created: true };
  } catch (error) {
    await file.close().catch(() => {});
    await unlink(options.keyFile).catch(() => {});
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
}

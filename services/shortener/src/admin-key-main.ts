/**
 * The compose `admin-key` job: the first admin API key of a new installation,
 * as `./kurt up` issues it (services/shortener/src/bootstrap-admin-key.ts),
 * written to a file on the `kurt-admin-key` volume that only its owner reads.
 * A later run finds the file and issues nothing, unless the database never
 * issued the key in it (its data is new): then a new key replaces it. The key never goes to a log:
 *   docker compose run --rm --no-deps admin-key cat /var/lib/kurt/admin-api-key
 */

import { failJob, loadJobConfigOrExit } from "@kurt/platform/job-config";
import { ensureAdminKey } from "./bootstrap-admin-key.js";

const config = loadJobConfigOrExit("admin-key", {
  KURT_PG_PRIMARY_URL: {
    kind: "string",
    secret: true,
    pattern: /^postgres(ql)?:\/\//,
    description: "The Postgres primary itself (not PgBouncer), as the app user",
  },
  KURT_ADMIN_KEY_FILE: {
    kind: "string",
    default: "/var/lib/kurt/admin-api-key",
    description: "Where the first admin key is written (mode 0600); nothing is issued when it exists",
  },
});

try {
  const file = config.KURT_ADMIN_KEY_FILE;
  const { created, replaced } = await ensureAdminKey({ connectionString: config.KURT_PG_PRIMARY_URL, keyFile: file });
  process.stdout.write(
    replaced
      ? `admin-key: the key in ${file} was never issued by this database (its data is new); issued a new admin API key into it\n`
      : created
        ? `admin-key: issued the first admin API key into ${file}\n`
        : `admin-key: ${file} exists; no key issued\n`,
  );
} catch (error) {
  failJob("admin-key", error);
}

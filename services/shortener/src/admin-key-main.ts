/**
 * The compose `admin-key` job: the first admin API key of a new installation,
 * as `./kurt up` issues it (services/shortener/src/bootstrap-admin-key.ts),
 * written to a file on the `kurt-admin-key` volume that only its owner reads.
 * A later run finds the file and issues nothing. The key never goes to a log:
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
  const { created } = await ensureAdminKey({
    connectionString: config.KURT_PG_PRIMARY_URL,
    keyFile: config.KURT_ADMIN_KEY_FILE,
  });
  process.stdout.write(
    created
      ? `admin-key: issued the first admin API key into ${config.KURT_ADMIN_KEY_FILE}\n`
      : `admin-key: ${config.KURT_ADMIN_KEY_FILE} exists; no key issued\n`,
  );
} catch (error) {
  failJob("admin-key", error);
}

/**
 * The `migrate` job (compose and ./kurt up): the services' migrations (services/*\/migrations,
 * copied into the image) applied straight on the primary, not through
 * PgBouncer, whose transaction pooling would lose the migration lock.
 */
import path from "node:path";
import { failJob, loadJobConfigOrExit } from "@kurt/platform/job-config";
import { applyMigrations } from "./migrations.js";

const config = loadJobConfigOrExit("migrate", {
  KURT_PG_PRIMARY_URL: {
    kind: "string",
    secret: true,
    pattern: /^postgres(ql)?:\/\//,
    description: "The Postgres primary itself (not PgBouncer), as the app user",
  },
  KURT_SERVICES_DIR: {
    kind: "string",
    default: "services",
    description: "Folder holding <service>/migrations/NNNN_name.sql, relative to the working directory",
  },
});

try {
  await applyMigrations(
    config.KURT_PG_PRIMARY_URL,
    (line) => process.stdout.write(`${line}\n`),
    path.resolve(config.KURT_SERVICES_DIR),
  );
} catch (error) {
  failJob("migrate", error);
}

/**
 * What the tests use of the ./kurt tool (tools/kurt), in one place: tests,
 * the services' integration tests included, reach the tool only through
 * tests/support (npm run lint:deps holds everything else to that).
 */
export {
  adminKeyFile,
  createStack,
  ensureBundles,
  findInstalledEnvoy,
  IMAGE_ENTRIES,
  memberConnectionString,
  memberRestStatus,
  type PatroniMemberState,
  PGBOUNCER_SERVER_LIFETIME_S,
  postgresMemberDir,
  primaryConnectionString,
  type RunResult,
  readAdminKey,
  readClusterState,
  readHealthyCluster,
  readRedisPassword,
  redisPasswordFile,
  resolvePaths,
  runCommand,
  serviceEnvironment,
  validateEnvoyConfig,
  waitFor,
  withPgClient,
} from "@kurt/tool";

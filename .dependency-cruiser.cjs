/**
 * Dependency rules (docs/adr/0020-dependency-rules.md, DESIGN.md §3
 * "Dependencies point one way"). `npm run lint:deps`, run by `npm test`.
 * Paths are the resolved files, so `@kurt/gateway` is `gateway/src/…` and a
 * workspace package is its folder: an import cannot dodge a rule by spelling.
 */

/** Test code: uvu suites beside the code (`*.test.ts`, `*.integration.test.ts`) and the test folders. */
const TEST_FILE = "\\.test\\.ts$";
const TEST_FOLDER = "(^|/)(tests|test-support)/";

/** Drivers: what domain code must reach only through a port. */
const DRIVERS = [
  "^node_modules/(pg|pg-pool|pg-protocol|ioredis|kafkajs|@grpc/grpc-js|grpc-health-check|prom-client)/",
  "^(node:)?(http|https|http2|net|tls|dgram)$",
  // The platform's index re-exports its pg, kafkajs and grpc-js code; domain code takes a driver-free sub-path (@kurt/platform/errors, …).
  "^packages/platform/src/index\\.ts$",
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-other-service",
      comment: "A service imports no other service: what they share belongs in packages/ (core, platform, contract).",
      severity: "error",
      from: { path: "^services/([^/]+)/" },
      to: { path: "^services/", pathNot: "^services/$1/" },
    },
    {
      name: "no-gateway-in-services",
      comment:
        "Services do not import the gateway (Envoy config renderer, buf, yaml): shared rules live in @kurt/core.",
      severity: "error",
      from: { path: "^services/" },
      to: { path: "^gateway/" },
    },
    {
      name: "no-tool-outside-tests",
      comment:
        "Nothing that ships imports the ./kurt tool (tools/). Tests reach it only through tests/support/tool.ts; the bench and the image's bundle script use it directly.",
      severity: "error",
      from: { pathNot: ["^tools/", "^tests/support/", "^bench/", "^scripts/"] },
      to: { path: "^tools/" },
    },
    {
      name: "no-services-in-tool",
      comment:
        "The tool runs the services and jobs as the bundles the image ships; it imports none of their code (DESIGN.md §3, what runs is what ships).",
      severity: "error",
      from: { path: "^tools/" },
      to: { path: ["^services/", "^packages/jobs/src/.*-main\\.ts$"] },
    },
    {
      name: "no-drivers-in-domain",
      comment:
        "Domain code imports no driver (pg, ioredis, kafkajs, grpc-js, node:http/net) and not the whole @kurt/platform index; drivers stay in adapters.",
      severity: "error",
      from: { path: "(^|/)domain/" },
      to: { path: DRIVERS },
    },
    {
      name: "no-contract-index-in-domain",
      comment:
        "Domain code does not import the @kurt/contract index, which re-exports the generated grpc-js clients; it takes a driver-free sub-path (@kurt/contract/scopes, /redirect-status, /link-cache). Type imports too: the rule cannot tell what a type pulls in tomorrow.",
      severity: "error",
      from: { path: "(^|/)domain/" },
      to: { path: "^packages/contract/src/index\\.ts$" },
    },
    {
      name: "no-drivers-reachable-from-domain",
      comment:
        "Domain code that ships reaches no driver and neither the @kurt/platform nor the @kurt/contract index through any chain of imports: importing a package index, an adapter or a grpc/ module cannot smuggle one in.",
      severity: "error",
      from: { path: "(^|/)domain/", pathNot: TEST_FILE },
      to: { path: [...DRIVERS, "^packages/contract/src/index\\.ts$"], reachable: true },
    },
    {
      name: "no-tests-from-code",
      comment: "Code that ships imports no test file and no test folder (tests/, test-support/).",
      severity: "error",
      from: { pathNot: [TEST_FILE, TEST_FOLDER] },
      to: { path: [TEST_FILE, TEST_FOLDER] },
    },
    {
      name: "no-module-cycles",
      comment: "No module imports itself through others (package cycles: .dependency-cruiser-packages.cjs).",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "no-unresolvable",
      comment: "Every import resolves: a rule cannot judge what it cannot see.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["(^|/)dist/", "(^|/)\\.kurt/"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
      extensions: [".ts", ".js", ".mjs", ".cjs", ".json", ".d.ts"],
    },
  },
};

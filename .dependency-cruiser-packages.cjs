/**
 * The second pass of `npm run lint:deps`: no circular dependency between
 * workspace packages (gateway, packages/*, services/*, sdk/ts), on the code
 * that ships. Test files are left out of this pass only: service and gateway
 * tests still import the launcher's helpers, which closes launcher ⇄ shortener
 * and launcher ⇄ gateway through tests (ADR 0020, known exception; TODO
 * move those helpers to tests/support and drop the exclusion). The first pass
 * (.dependency-cruiser.cjs) cruises the tests with every other rule.
 */
const base = require("./.dependency-cruiser.cjs");

/** A package's source root: its dependencies are the package's, whatever subfolder they come from. */
const PACKAGE_ROOT = "^(packages/[^/]+|services/[^/]+|gateway|sdk/ts)/src$";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-package-cycles",
      comment: "No cycle between workspace packages: dependencies point one way (DESIGN.md §3).",
      severity: "error",
      scope: "folder",
      from: { path: PACKAGE_ROOT },
      to: { path: PACKAGE_ROOT, circular: true },
    },
  ],
  options: {
    ...base.options,
    exclude: { path: [...base.options.exclude.path, "\\.test\\.ts$"] },
  },
};

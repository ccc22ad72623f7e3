/**
 * The second pass of `npm run lint:deps`: no circular dependency between
 * workspace packages (gateway, packages/*, services/*, tools/*, sdk/ts),
 * tests included: a service's integration test reaches the tool through
 * tests/support, and the tool imports no service, so no cycle closes there.
 */
const base = require("./.dependency-cruiser.cjs");

/** A package's source root: its dependencies are the package's, whatever subfolder they come from. */
const PACKAGE_ROOT = "^(packages/[^/]+|services/[^/]+|tools/[^/]+|gateway|sdk/ts)/src$";

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
  options: base.options,
};

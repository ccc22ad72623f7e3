import { readFileSync } from "node:fs";

/** The text of an export under tests/fixtures/import/. */
export const fixture = (name: string): string =>
  readFileSync(new URL(`../../../../../tests/fixtures/import/${name}`, import.meta.url), "utf8");

import type { Link } from "../domain/link.js";

/** A stored, live link to https://example.com/ for tests, created and updated at `at`; `overrides` change any field. */
export function sampleLink(code: string, overrides: Partial<Link> = {}, at: Date = new Date()): Link {
  return {
    domain: "",
    code,
    url: "https://example.com/",
    redirectStatus: 302,
    cacheSeconds: 0,
    title: null,
    tags: [],
    expiresAt: null,
    validSince: null,
    forwardQuery: false,
    maxVisits: null,
    visits: 0,
    passwordHash: null,
    rules: [],
    disabled: false,
    deletedAt: null,
    createdAt: at,
    updatedAt: at,
    createdByKey: null,
    ...overrides,
  };
}

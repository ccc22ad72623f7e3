/** The resolver's lookup order, fastest first; the answer says which one served it. */
export type LookupLayer = "memory" | "redis" | "replica" | "primary";

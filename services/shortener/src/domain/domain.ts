/** A domain links live under (DESIGN.md §2), as stored; the default domain is not one of these rows. */
export interface Domain {
  /** A host name: lowercase, punycode, no port. */
  readonly name: string;
  readonly rootRedirect: string | null;
  readonly notFoundRedirect: string | null;
  readonly createdAt: Date;
}

/** A validated partial update: only the properties present change; null removes a redirect. */
export interface DomainChanges {
  readonly rootRedirect?: string | null;
  readonly notFoundRedirect?: string | null;
}

/** The domains table on the primary. */
export interface DomainStore {
  /** Inserts unless the name is taken: then undefined. */
  insert(domain: Omit<Domain, "createdAt">): Promise<Domain | undefined>;
  /** Every domain, by name. */
  list(): Promise<Domain[]>;
  update(name: string, changes: DomainChanges): Promise<Domain | undefined>;
  /**
   * Deletes the domain unless links that are not deleted live under it, in
   * one statement: "deleted", "missing", or the number of such links.
   */
  delete(name: string): Promise<{ deleted: Domain } | { missing: true } | { liveLinks: number }>;
}

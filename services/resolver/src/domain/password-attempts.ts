/**
 * Wrong password tries, limited per link and client (DESIGN.md §2): after
 * `limit` wrong tries within the window, the client gets 429 until the
 * window that began with its first wrong try ends. Kept in Redis Cluster so
 * that every resolver sees the same count.
 */
export interface PasswordAttempts {
  /** Seconds until the client may try again, or 0 when it may try now. */
  blockedFor(linkKey: string, client: string): Promise<number>;
  /** Records a wrong try. */
  failed(linkKey: string, client: string): Promise<void>;
}

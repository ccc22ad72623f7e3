import { createHmac } from "node:crypto";

/** 128 bits tell visitors apart with no practical chance of a collision, at half the storage. */
const HASH_BYTES = 16;

/**
 * The visitor's pseudonym for one day: HMAC-SHA256 of client address and
 * user agent under that day's secret key. Without the key (deleted after a
 * couple of days) nobody can test an address against a stored hash, and the
 * same person gets unrelated hashes on different days.
 */
export function visitorHash(dayKey: Buffer, clientAddress: string, userAgent: string): Buffer {
  // The separator cannot occur in an address, so ("a", "bc") and ("ab", "c") never collide.
  return createHmac("sha256", dayKey).update(`${clientAddress}\n${userAgent}`).digest().subarray(0, HASH_BYTES);
}

/** The secret key of each UTC day, the same on every replica. */
export interface VisitorKeys {
  /** The key of `day` ("YYYY-MM-DD"), created if it does not exist yet. */
  keyFor(day: string): Promise<Buffer>;
  /** Deletes the keys of days before `day`; answers how many went. */
  deleteBefore(day: string): Promise<number>;
}

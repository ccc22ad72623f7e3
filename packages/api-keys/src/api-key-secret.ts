import { createHash, randomBytes } from "node:crypto";

/**
 * API key secrets: "kurt_" and the base64url of 32 random bytes (43
 * characters). The prefix makes a leaked key easy to recognise (secret
 * scanners, log reviews). Only the SHA-256 of the whole secret is stored:
 * with 256 random bits there is nothing for a slow password hash to protect,
 * and the lookup stays one indexed equality.
 */

export const API_KEY_PREFIX = "kurt_";
const SECRET_BYTES = 32;
/** The shape of a secret, anchored; used to tell a malformed header from an unknown key. */
export const API_KEY_SECRET_PATTERN = /^kurt_[A-Za-z0-9_-]{43}$/;
/** How much of a secret listings and logs may show: "kurt_" and 4 more characters. */
const DISPLAY_PREFIX_LENGTH = API_KEY_PREFIX.length + 4;

export function generateApiKeySecret(random: (size: number) => Uint8Array = randomBytes): string {
  return `${API_KEY_PREFIX}${Buffer.from(random(SECRET_BYTES)).toString("base64url")}`;
}

export function hashApiKeySecret(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
}

export function displayPrefix(secret: string): string {
  return secret.slice(0, DISPLAY_PREFIX_LENGTH);
}

export type BearerParse =
  | { readonly ok: true; readonly secret: string }
  | { readonly ok: false; readonly reason: string };

/** The secret of an `authorization` value "Bearer kurt_…"; the reason is safe to show (it never echoes the value). */
export function parseBearer(header: string | undefined): BearerParse {
  if (header === undefined || header === "")
    return { ok: false, reason: 'missing API key: send "authorization: Bearer <key>"' };
  const match = /^Bearer +(\S+)\s*$/i.exec(header);
  if (!match) return { ok: false, reason: 'malformed authorization: expected "Bearer <key>"' };
  const secret = match[1] as string;
  if (!API_KEY_SECRET_PATTERN.test(secret))
    return { ok: false, reason: 'malformed API key: expected "kurt_" and 43 characters' };
  return { ok: true, secret };
}

import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";

/**
 * Link passwords (DESIGN.md §2: a slow salted hash, never returned): scrypt
 * from Node's crypto (no native add-on to build), 16 random bytes of salt,
 * 32 bytes of key. The parameters are written into the stored string, so
 * raising them later leaves older hashes readable:
 *   scrypt$<log2 N>$<r>$<p>$<salt, base64url>$<key, base64url>
 * N = 2^15, r = 8 costs 32 MiB and about 0.1 s of one core per hash or
 * check (ADR 30): slow enough that a stolen hash resists guessing, cheap
 * enough that a check runs in the resolver's thread pool without stalling
 * redirects. Wrong tries are limited separately, per link and client.
 */
const DEFAULT = { logN: 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
const FORMAT = /^scrypt\$(\d{1,2})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9_-]{16,64})\$([A-Za-z0-9_-]{16,128})$/;

function derive(password: string, salt: Buffer, logN: number, r: number, p: number, length: number): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** logN, r, p, maxmem: 256 * 2 ** logN * r + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFC"), salt, length, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** The stored form of a password. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, DEFAULT.logN, DEFAULT.r, DEFAULT.p, KEY_BYTES);
  return `scrypt$${DEFAULT.logN}$${DEFAULT.r}$${DEFAULT.p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

/** Whether a stored hash has the form hashPassword writes (a cache entry is checked with it). */
export function isPasswordHash(stored: string): boolean {
  const match = FORMAT.exec(stored);
  return match !== null && Number(match[1]) >= 10 && Number(match[1]) <= 20;
}

/** Whether `password` is the one `stored` was made from; false for a malformed hash. Constant time in the key. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (!isPasswordHash(stored)) return false;
  const [, logN, r, p, salt, key] = FORMAT.exec(stored) as RegExpExecArray & string[];
  const expected = Buffer.from(key as string, "base64url");
  const actual = await derive(
    password,
    Buffer.from(salt as string, "base64url"),
    Number(logN),
    Number(r),
    Number(p),
    expected.length,
  );
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

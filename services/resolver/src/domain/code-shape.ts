/**
 * The widest shape any code can have (generated codes are 7 of [0-9A-Za-z],
 * custom ones 3–64 of [A-Za-z0-9_-]). Anything else cannot name a link, so it
 * is answered without touching a store: junk from scanners never reaches
 * Postgres nor fills the caches.
 */
const CODE_SHAPE = /^[A-Za-z0-9_-]{1,64}$/;

export function isWellFormedCode(code: string): boolean {
  return CODE_SHAPE.test(code);
}

import { randomBytes } from "node:crypto";
import { GENERATED_CODE_ALPHABET, GENERATED_CODE_LENGTH, isReservedCode } from "@kurt/core/link-code";

// 62 × 4 = 248: bytes at or above it are thrown away so that every character
// is equally likely (a plain `byte % 62` would favour the first 8).
const UNBIASED_LIMIT = Math.floor(256 / GENERATED_CODE_ALPHABET.length) * GENERATED_CODE_ALPHABET.length;

export type RandomBytes = (size: number) => Uint8Array;

/**
 * Generated codes: 7 characters of [0-9A-Za-z] from the CSPRNG, by rejection
 * sampling. 62^7 ≈ 3.5 × 10^12 codes; a collision is handled by the store's
 * unique constraint, not here. A code that spells a reserved word
 * ("healthz", "metrics" are 7 characters) is drawn again.
 */
export function createCodeGenerator(random: RandomBytes = randomBytes): () => string {
  const draw = (): string => {
    let code = "";
    while (code.length < GENERATED_CODE_LENGTH) {
      for (const byte of random(16)) {
        if (byte >= UNBIASED_LIMIT) continue;
        code += GENERATED_CODE_ALPHABET[byte % GENERATED_CODE_ALPHABET.length];
        if (code.length === GENERATED_CODE_LENGTH) break;
      }
    }
    return code;
  };
  return () => {
    for (;;) {
      const code = draw();
      if (!isReservedCode(code)) return code;
    }
  };
}

import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { benchCode, unknownCode } from "./seed-links.js";

/**
 * The codes a load generator asks for, drawn once, up front, from a seeded
 * generator: wrk's Lua script only walks the list (no sampling cost on the
 * generator's core), and every run of the bench asks for the same codes.
 */

/** mulberry32: small, fast, and good enough to draw codes. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Link indices drawn from a Zipf distribution with exponent 1: index k with weight 1/(k+1). */
export function zipfSampler(links: number, random: () => number): () => number {
  const cumulative = new Float64Array(links);
  let sum = 0;
  for (let k = 0; k < links; k++) {
    sum += 1 / (k + 1);
    cumulative[k] = sum;
  }
  return () => {
    const target = random() * sum;
    let low = 0;
    let high = links - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((cumulative[middle] as number) < target) low = middle + 1;
      else high = middle;
    }
    return low;
  };
}

export interface RequestList {
  readonly file: string;
  readonly length: number;
  /** Distinct codes in the list. */
  readonly distinct: number;
  readonly unknownShare: number;
}

function writeList(dir: string, name: string, codes: readonly string[], unknownShare: number): RequestList {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.txt`);
  writeFileSync(file, `${codes.join("\n")}\n`);
  return { file, length: codes.length, distinct: new Set(codes).size, unknownShare };
}

/** Zipf (s = 1) over the seeded links, with `unknownShare` of codes no link has (each one drawn anew). */
export function zipfList(dir: string, links: number, length: number, unknownShare: number): RequestList {
  const random = seededRandom(links ^ 0x5eed);
  const draw = zipfSampler(links, random);
  const codes: string[] = [];
  for (let i = 0; i < length; i++) {
    codes.push(random() < unknownShare ? unknownCode(Math.floor(random() * 0x10000000)) : benchCode(draw()));
  }
  return writeList(dir, `zipf-${links}`, codes, unknownShare);
}

/** Every seeded link equally likely. */
export function uniformList(dir: string, links: number, length: number): RequestList {
  const random = seededRandom(links ^ 0x0f0f);
  const codes: string[] = [];
  for (let i = 0; i < length; i++) codes.push(benchCode(Math.floor(random() * links)));
  return writeList(dir, `uniform-${links}`, codes, 0);
}

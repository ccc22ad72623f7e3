/**
 * How long opening the country database takes and how many lookups a second
 * one core answers: `npm run bench -w @kurt/geoip`. It prints numbers and
 * fails on none (DESIGN.md §3).
 */
import { openCountryLookup } from "./country-lookup.js";

const LOOKUPS = 1_000_000;
const OPENS = 5;

/** A deterministic stream (xorshift32), so that every run looks up the same addresses. */
function numbers(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

function addresses(kind: "ipv4" | "ipv6" | "mapped", count: number): string[] {
  const next = numbers(0x9e3779b9);
  return Array.from({ length: count }, () => {
    const n = next();
    const v4 = `${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
    if (kind === "ipv4") return v4;
    if (kind === "mapped") return `::ffff:${v4}`;
    // Inside 2000::/4, where the allocated unicast space is.
    return `2${(n & 0xfff).toString(16).padStart(3, "0")}:${(n >>> 16).toString(16)}:${(next() & 0xffff).toString(16)}::1`;
  });
}

function rate(lookup: (address: string) => string, sample: readonly string[]): { perSecond: number; placed: number } {
  let placed = 0;
  for (let i = 0; i < 50_000; i++) lookup(sample[i % sample.length] as string); // warm-up
  const started = process.hrtime.bigint();
  for (let i = 0; i < LOOKUPS; i++) if (lookup(sample[i % sample.length] as string) !== "") placed += 1;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { perSecond: LOOKUPS / seconds, placed: placed / LOOKUPS };
}

const first = openCountryLookup();
const reopenMs: number[] = [];
for (let i = 0; i < OPENS; i++) reopenMs.push(openCountryLookup().database.openMs);
reopenMs.sort((a, b) => a - b);
const { database } = first;
console.log(`${database.source} ${database.version} (data built ${database.builtAt.toISOString().slice(0, 10)})`);
console.log(
  `open: ${database.openMs.toFixed(1)} ms first, ${(reopenMs[Math.floor(OPENS / 2)] as number).toFixed(1)} ms median of ${OPENS} more`,
);
const lookup = (address: string) => first.lookup(address);
for (const kind of ["ipv4", "ipv6", "mapped"] as const) {
  const { perSecond, placed } = rate(lookup, addresses(kind, 100_000));
  console.log(
    `${kind.padEnd(6)} ${Math.round(perSecond).toLocaleString("en")} lookups/s (${(1e9 / perSecond).toFixed(0)} ns each), ${(placed * 100).toFixed(0)} % placed in a country`,
  );
}

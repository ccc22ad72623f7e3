import { test } from "uvu";
import * as assert from "uvu/assert";
import { clientAddress, normaliseAddress } from "./client-address.js";

const headers = (values: Record<string, string>) => (name: string) => values[name];

test("Envoy's external address wins over anything in x-forwarded-for", () => {
  assert.is(
    clientAddress(headers({ "x-envoy-external-address": "127.0.0.1", "x-forwarded-for": "5.5.5.5,192.0.2.2" })),
    "127.0.0.1",
  );
});

test("without an external address, the last x-forwarded-for entry is the client", () => {
  assert.is(clientAddress(headers({ "x-forwarded-for": "203.0.113.9, 198.51.100.4" })), "198.51.100.4");
  assert.is(clientAddress(headers({ "x-forwarded-for": "2001:db8::1" })), "2001:db8::1");
});

test("no usable header leaves the address empty", () => {
  assert.is(clientAddress(headers({})), "");
  assert.is(clientAddress(headers({ "x-forwarded-for": "unknown" })), "");
  assert.is(clientAddress(headers({ "x-envoy-external-address": "not-an-ip" })), "");
});

test("ports, brackets and IPv4-mapped IPv6 are removed; IPv6 is lower-cased", () => {
  assert.is(normaliseAddress("203.0.113.9:443"), "203.0.113.9");
  assert.is(normaliseAddress("[2001:DB8::1]:8080"), "2001:db8::1");
  assert.is(normaliseAddress("::ffff:203.0.113.9"), "203.0.113.9");
  assert.is(normaliseAddress(" 2001:db8::2 "), "2001:db8::2");
});

test.run();

import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseTrustedProxyHops } from "./trusted-proxy-hops.js";

test("no KURT_TRUSTED_PROXY_HOPS means Envoy is the edge: no proxy is trusted", () => {
  assert.is(parseTrustedProxyHops(undefined), 0);
  assert.is(parseTrustedProxyHops(""), 0);
  assert.is(parseTrustedProxyHops("  "), 0);
});

test("a whole number of proxies from 0 to 10 is taken", () => {
  assert.is(parseTrustedProxyHops("0"), 0);
  assert.is(parseTrustedProxyHops(" 1 "), 1);
  assert.is(parseTrustedProxyHops("10"), 10);
});

test("anything else stops start-up with a message naming the variable", () => {
  for (const bad of ["-1", "1.5", "one", "11", "1e1", "0x1", "2,3", "+1", "999"])
    assert.throws(
      () => parseTrustedProxyHops(bad),
      /^KURT_TRUSTED_PROXY_HOPS: .* expected a whole number from 0 to 10$/,
      bad,
    );
});

test.run();

import { KurtError } from "@kurt/platform/errors";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createTargetUrlPolicy, MAX_URL_LENGTH, type TargetUrlPolicy } from "./target-url.js";

const policy = createTargetUrlPolicy({
  publicUrl: "http://127.0.0.1:24080",
  shortDomains: ["kurt.example", "go.example:8443"],
});

// Kurt behind a public name: loopback targets are refused for being loopback, not for being its host.
const publicPolicy = createTargetUrlPolicy({ publicUrl: "https://kurt.example.net" });

function refused(raw: string, reason: RegExp, check: TargetUrlPolicy = policy) {
  try {
    check(raw);
  } catch (error) {
    assert.instance(error, KurtError);
    assert.is((error as KurtError).code, "invalid_argument");
    assert.is((error as KurtError).field, "url");
    assert.match((error as KurtError).message, /^url: /);
    assert.match((error as KurtError).message, reason);
    return;
  }
  assert.unreachable(`${JSON.stringify(raw.slice(0, 60))} should have been refused`);
}

test("an http or https URL is accepted and stored in its normalised form", () => {
  assert.is(policy("https://example.com"), "https://example.com/");
  assert.is(policy("HTTP://Example.COM:80/a/../b?q=1#frag"), "http://example.com/b?q=1#frag");
  assert.is(policy("https://example.com:8443/x"), "https://example.com:8443/x");
});

test("an internationalised host is stored in punycode", () => {
  assert.is(policy("https://bücher.example/straße"), "https://xn--bcher-kva.example/stra%C3%9Fe");
  assert.is(policy("http://例え.jp/"), "http://xn--r8jz45g.jp/");
});

test("schemes other than http and https are refused with the scheme named", () => {
  refused("javascript:alert(1)", /scheme must be http or https, got javascript:/);
  refused("data:text/html,<script>alert(1)</script>", /got data:/);
  refused("ftp://example.com/file", /got ftp:/);
  refused("mailto:someone@example.com", /got mailto:/);
  refused("file:///etc/passwd", /got file:/);
});

test("relative URLs, missing hosts and lenient spellings are refused", () => {
  refused("/just/a/path", /not an absolute URL/);
  refused("example.com/page", /not an absolute URL/);
  refused("//example.com/page", /not an absolute URL/);
  refused("http://", /a host is required/);
  refused("https:///path", /must start with https:\/\/ and the host/);
  refused("http:\\\\example.com/", /must start with http:\/\/ and the host/);
  refused("http:/\\example.com/", /must start with http:\/\/ and the host/);
  refused("http:/example.com", /must start with http:\/\//);
  refused("http:example.com", /must start with http:\/\//);
  refused("", /required/);
});

test("control characters and whitespace are refused before parsing, never silently stripped", () => {
  refused("https://example.com/a\tb", /control or whitespace character \(U\+0009\) at position 21/);
  refused("https://example.com/a\nb", /U\+000A/);
  refused("https://exa\rmple.com/", /U\+000D/);
  refused(" https://example.com/", /U\+0020/);
  refused("https://example.com/ ", /U\+0020/);
  refused("https://example.com/a b", /U\+0020/);
  refused("https://example.com/\u0000", /U\+0000/);
  refused("https://example.com/\u007f", /U\+007F/);
  refused("https://example.com/\u0085", /U\+0085/);
  refused("https://example.com/\u00a0", /U\+00A0/);
  refused("https://example.com/\u200b", /U\+200B/);
  refused("https://exam\u202eple.com/", /U\+202E/);
});

test("8,192 characters are accepted, 8,193 refused", () => {
  const base = "https://example.com/";
  const atLimit = base + "a".repeat(MAX_URL_LENGTH - base.length);
  assert.is(atLimit.length, 8192);
  assert.is(policy(atLimit), atLimit);
  refused(`${atLimit}a`, /longer than 8192 characters \(8193\)/);
});

test("a URL that grows beyond the limit once normalised is refused", () => {
  const base = "https://example.com/";
  // "é" is one character sent, six once percent-encoded.
  const url = base + "é".repeat(2000);
  refused(url, /once normalised/);
});

test("credentials in the URL are refused", () => {
  refused("https://user:pass@example.com/", /user name or password/);
  refused("https://bank.example@evil.example/", /user name or password/);
});

test("a URL back to Kurt's own short links is refused as a loop", () => {
  refused("http://127.0.0.1:24080/abc1234", /redirect loop/);
  refused("https://127.0.0.1:24080/", /redirect loop/);
  refused("http://kurt.example/abc", /redirect loop/);
  refused("https://KURT.example./abc", /redirect loop/);
  refused("https://kurt.example:9999/abc", /redirect loop/);
  refused("https://go.example:8443/abc", /redirect loop/);
  refused("http://127.0.0.1.:24080/abc", /redirect loop/);
});

test("a host Kurt answers on is refused at any port, with trailing dots and in any case", () => {
  refused("http://127.0.0.1:24081/x", /redirect loop/);
  refused("https://go.example/abc", /Kurt's own short links \(go\.example\); that would be a redirect loop/);
  refused("http://go.example:80/abc", /Kurt's own short links/);
  refused("https://GO.Example.:9/abc", /Kurt's own short links/);
  refused("https://go.example../abc", /Kurt's own short links/);
  refused("http://kurt.example:1/abc", /Kurt's own short links/);
  const own = createTargetUrlPolicy({ publicUrl: "https://short.example:8443", shortDomains: ["10.1.2.3:80"] });
  assert.throws(() => own("https://short.example/x"), /Kurt's own short links/);
  assert.throws(() => own("http://SHORT.EXAMPLE.:80/x"), /Kurt's own short links/);
  for (const spelling of ["10.1.2.3:8080", "167838211", "0xa.1.2.3", "012.1.2.3", "10.1.515", "[::ffff:10.1.2.3]"])
    assert.throws(() => own(`http://${spelling}/x`), /Kurt's own short links/, spelling);
  assert.is(own("https://shorter.example/x"), "https://shorter.example/x");
  assert.is(own("http://10.1.2.4/x"), "http://10.1.2.4/x");
});

test("loopback hosts are refused as a loop in every spelling, at any port", () => {
  const names = [
    "localhost",
    "LOCALHOST.",
    "localhost..",
    "LocalHost:8080",
    "app.localhost",
    "A.B.LOCALHOST.:1",
    "%6c%6fcalhost",
  ];
  for (const host of names)
    refused(
      `http://${host}/x`,
      /a loopback host \(.+\), which can be Kurt itself; that would be a redirect loop/,
      publicPolicy,
    );
  const addresses = [
    "127.0.0.1",
    "127.0.0.1.",
    "127.0.0.1..",
    "127.255.255.254:9",
    "2130706433",
    "0x7f000001",
    "0x7f.1",
    "0x7f.1..",
    "0177.0.0.1",
    "127.1",
    "[::1]",
    "[0:0:0:0:0:0:0:1]:8080",
    "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]",
    "[::FFFF:127.9.9.9]",
    "[::127.0.0.1]",
  ];
  for (const host of addresses)
    refused(
      `https://${host}/x`,
      /a loopback address \(.+\), which can be Kurt itself; that would be a redirect loop/,
      publicPolicy,
    );
});

test("unspecified addresses (0.0.0.0/8, ::) are refused as a loop in every spelling; their neighbours are not", () => {
  for (const host of [
    "0.0.0.0",
    "0",
    "0:80",
    "0x0",
    "0.0.0.0.",
    "000.0.0.0",
    "0.1.2.3",
    "[::]",
    "[::ffff:0.0.0.0]",
    "[::ffff:0:0]",
    "[::0.0.0.0]:443",
  ])
    refused(
      `http://${host}/x`,
      /an unspecified address \(.+\), which can be Kurt itself; that would be a redirect loop/,
      publicPolicy,
    );
  // Their neighbours are other machines.
  assert.is(policy("http://128.0.0.1/x"), "http://128.0.0.1/x");
  assert.is(policy("http://1.0.0.0/x"), "http://1.0.0.0/x");
  assert.is(policy("http://126.255.255.255/x"), "http://126.255.255.255/x");
  assert.is(policy("http://[::2:7f00:1]/x"), "http://[::2:7f00:1]/x");
  assert.is(policy("http://[2001:db8::1]/x"), "http://[2001:db8::1]/x");
  assert.is(policy("http://[::ffff:8.8.8.8]/x"), "http://[::ffff:808:808]/x");
  assert.is(policy("http://localhost.example/x"), "http://localhost.example/x");
  assert.is(policy("http://mylocalhost/x"), "http://mylocalhost/x");
});

test("a public URL on a default port is matched with or without the port", () => {
  const own = createTargetUrlPolicy({ publicUrl: "https://short.example" });
  assert.throws(() => own("https://short.example:443/x"), /redirect loop/);
  assert.throws(() => own("http://short.example/x"), /redirect loop/);
  assert.is(own("https://other.example/x"), "https://other.example/x");
});

test("a malformed short domain is a configuration error", () => {
  assert.throws(
    () => createTargetUrlPolicy({ publicUrl: "http://a.example", shortDomains: ["a/b"] }),
    /host or host:port/,
  );
  assert.throws(
    () => createTargetUrlPolicy({ publicUrl: "http://a.example", shortDomains: ["u@a.example"] }),
    /host or host:port/,
  );
});

test("the field named in the error can be chosen", () => {
  assert.throws(() => policy("ftp://x", "link.url"), /^link\.url: /);
});

test.run();

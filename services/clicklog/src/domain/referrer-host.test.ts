import { test } from "uvu";
import * as assert from "uvu/assert";
import { referrerHost } from "./referrer-host.js";

test("a Referer becomes its lower-case host", () => {
  assert.is(referrerHost("https://News.Example.COM/path?q=1#x"), "news.example.com");
  assert.is(referrerHost("http://t.co/abc"), "t.co");
});

test("a non-default port stays part of the host, the default one does not", () => {
  assert.is(referrerHost("http://example.com:8080/"), "example.com:8080");
  assert.is(referrerHost("https://example.com:443/"), "example.com");
});

test("no Referer is a direct visit", () => {
  assert.is(referrerHost(""), "direct");
  assert.is(referrerHost("   "), "direct");
});

test("a Referer that is no URL with a host is unknown, never stored as sent", () => {
  assert.is(referrerHost("not a url"), "unknown");
  assert.is(referrerHost("about:blank"), "unknown");
  assert.is(referrerHost("/relative/path"), "unknown");
});

test("app referrers keep their package name as host", () => {
  assert.is(referrerHost("android-app://com.Google.Android.gm/"), "com.google.android.gm");
});

test("an internationalised host is given in its punycode form", () => {
  assert.is(referrerHost("https://bücher.example/"), "xn--bcher-kva.example");
});

test.run();

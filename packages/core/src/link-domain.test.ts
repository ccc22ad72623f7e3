import { test } from "uvu";
import * as assert from "uvu/assert";
import { hostNameOfHeader, linkKey, publicDomainName, requestedDomain } from "./link-domain.js";

test("a default-domain link keeps its bare code as key; another domain's is prefixed", () => {
  assert.is(linkKey("", "abc"), "abc");
  assert.is(linkKey("go.example.com", "abc"), "go.example.com/abc");
});

test("the Host header's name drops the port, case and a trailing dot", () => {
  assert.is(hostNameOfHeader("Go.Example.COM:8080"), "go.example.com");
  assert.is(hostNameOfHeader("go.example.com."), "go.example.com");
  assert.is(hostNameOfHeader("[::1]:8080"), "[::1]");
  assert.is(hostNameOfHeader(undefined), "");
});

test('the default domain is named by nothing, by "" or by the public host with or without port', () => {
  for (const name of [undefined, "", "127.0.0.1:24080", "127.0.0.1", "127.0.0.1."])
    assert.is(requestedDomain(name, "127.0.0.1:24080"), "", String(name));
  assert.is(requestedDomain("Go.Example.com", "127.0.0.1:24080"), "go.example.com");
  assert.is(publicDomainName("", "kurt.example"), "kurt.example");
  assert.is(publicDomainName("go.example.com", "kurt.example"), "go.example.com");
});

test.run();

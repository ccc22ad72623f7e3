import { test } from "uvu";
import * as assert from "uvu/assert";
import { createDomainDirectory } from "./domain-directory.js";

const GO = { name: "go.example.com", rootRedirect: "https://example.com/", notFoundRedirect: null };

test("a Host that names a configured domain selects it, in any case and with any port", () => {
  const directory = createDomainDirectory();
  directory.replace([GO]);
  for (const host of ["go.example.com", "GO.example.com:8080", "go.example.com."])
    assert.is(directory.domainOfHost(host), "go.example.com", host);
  assert.equal(directory.settings("go.example.com"), { rootRedirect: "https://example.com/", notFoundRedirect: null });
});

test("any other Host, or none, is the default domain", () => {
  const directory = createDomainDirectory();
  assert.is(directory.domainOfHost("go.example.com"), "");
  directory.replace([GO]);
  for (const host of ["kurt.example", "example.com", "127.0.0.1:24080", undefined])
    assert.is(directory.domainOfHost(host), "", String(host));
  assert.is(directory.settings(""), undefined);
});

test("a Resolve call's domain: configured names as such, anything else the default", () => {
  const directory = createDomainDirectory();
  directory.replace([GO]);
  assert.is(directory.domainNamed("Go.Example.com"), "go.example.com");
  assert.is(directory.domainNamed(undefined), "");
  assert.is(directory.domainNamed(""), "");
  assert.is(directory.domainNamed("other.example"), "");
});

test("a reload replaces the list: a removed domain is the default again", () => {
  const directory = createDomainDirectory();
  directory.replace([GO]);
  directory.replace([]);
  assert.is(directory.domainOfHost("go.example.com"), "");
});

test.run();

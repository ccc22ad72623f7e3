import { ClickEvent, LookupLayer } from "@kurt/contract";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Click } from "../domain/click.js";
import { toClickRecord } from "./click-event.js";

const click: Click = {
  eventId: "0b6f4c3e-2f7a-4c53-9a53-2d1f0d1c9e11",
  domain: "",
  prefetch: false,
  code: "abc1234",
  occurredAtMs: Date.UTC(2025, 0, 2, 3, 4, 5, 678),
  referrer: "https://news.example/item?id=1",
  userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
  clientAddress: "203.0.113.7",
  redirectStatus: 301,
  servedBy: "redis",
  requestId: "req-1",
};

test("a click record is keyed by its code and decodes to every field of the click", () => {
  const record = toClickRecord(click);
  assert.is(record.key, "abc1234");
  assert.equal(ClickEvent.decode(record.value), {
    eventId: click.eventId,
    code: "abc1234",
    occurredAt: new Date("2025-01-02T03:04:05.678Z"),
    referrer: click.referrer,
    userAgent: click.userAgent,
    clientAddress: "203.0.113.7",
    redirectStatus: 301,
    servedBy: LookupLayer.LOOKUP_LAYER_REDIS,
    requestId: "req-1",
    domain: "",
    prefetch: false,
  });
});

test("another domain's click is keyed by domain and code, and carries its domain", () => {
  const record = toClickRecord({ ...click, domain: "go.example.com" });
  assert.is(record.key, "go.example.com/abc1234");
  assert.is(ClickEvent.decode(record.value).domain, "go.example.com");
  assert.is(ClickEvent.decode(record.value).code, "abc1234");
});

test.run();

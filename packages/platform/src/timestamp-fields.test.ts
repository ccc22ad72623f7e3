import { CreateLinkRequest, UpdateLinkRequest } from "@kurt/contract";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { rawTimestampField } from "./testing.js";
import { checkTimestampFields, TIMESTAMP_BOUNDS, UnreadableTimestamp } from "./timestamp-fields.js";

// Protobuf wire format by hand: the generated encoder only writes Timestamps from Dates, never the raw
// seconds and nanos a client of another language (or a transcoded query string) can send.

const createBytes = (...extra: Buffer[]) =>
  Buffer.concat([
    Buffer.from(
      CreateLinkRequest.encode(
        CreateLinkRequest.fromPartial({ url: "https://example.com/", tags: ["a"], title: "T" }),
      ).finish(),
    ),
    ...extra,
  ]);

const decodeCreate = checkTimestampFields((bytes: Buffer) => CreateLinkRequest.decode(bytes), { 4: "expiresAt" });
const decodeUpdate = checkTimestampFields((bytes: Buffer) => UpdateLinkRequest.decode(bytes), { 4: "expiresAt" });

function unreadableReason(value: Date | undefined): string {
  assert.instance(value, UnreadableTimestamp);
  assert.ok(Number.isNaN(value?.getTime()), "an invalid Date, so nothing can store it by mistake");
  return (value as UnreadableTimestamp).reason;
}

test("a request the generated encoder wrote decodes exactly as before (expiresAt is field 4)", () => {
  const expiresAt = new Date("2027-01-02T03:04:05.678Z");
  const sent = CreateLinkRequest.fromPartial({ url: "https://example.com/", code: "abc", expiresAt, tags: ["x"] });
  const bytes = Buffer.from(CreateLinkRequest.encode(sent).finish());
  assert.equal(decodeCreate(bytes), CreateLinkRequest.decode(bytes));
  assert.is(decodeCreate(bytes).expiresAt?.getTime(), expiresAt.getTime());
  const update = UpdateLinkRequest.fromPartial({ code: "abc", expiresAt, title: "t" });
  const updateBytes = Buffer.from(UpdateLinkRequest.encode(update).finish());
  assert.equal(decodeUpdate(updateBytes), UpdateLinkRequest.decode(updateBytes));
});

test("seconds a Date can hold pass through as that Date, even past the year 9999 (the domain refuses it)", () => {
  const decoded = decodeCreate(createBytes(rawTimestampField(4, 300_000_000_000n)));
  assert.is(decoded.expiresAt?.getTime(), 300_000_000_000_000);
  assert.not.instance(decoded.expiresAt, UnreadableTimestamp);
});

test("seconds beyond a Date's range arrive as an UnreadableTimestamp naming the bounds and the value", () => {
  for (const seconds of [8_640_000_000_000n, -8_640_000_000_000n, 9_000_000_000_000_000n]) {
    const decoded = decodeCreate(createBytes(rawTimestampField(4, seconds)));
    assert.is(unreadableReason(decoded.expiresAt), `must be ${TIMESTAMP_BOUNDS}, got seconds=${seconds}`);
    assert.is(decoded.url, "https://example.com/", "the other fields are decoded as sent");
    assert.equal(decoded.tags, ["a"]);
    assert.is(decoded.title, "T");
  }
});

test("seconds beyond 2^53 no longer make the decoder throw (which grpc-js answers INTERNAL)", () => {
  for (const seconds of [2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n)]) {
    const bytes = createBytes(rawTimestampField(4, seconds));
    assert.throws(() => CreateLinkRequest.decode(bytes), /MAX_SAFE_INTEGER|MIN_SAFE_INTEGER/);
    assert.match(unreadableReason(decodeCreate(bytes).expiresAt), /^must be between .*, got seconds=-?\d+$/);
  }
});

test("nanos outside 0..999,999,999 are refused instead of silently moving the instant", () => {
  for (const nanos of [-1n, 1_000_000_000n, 2_147_483_647n, -2_147_483_648n]) {
    const bytes = createBytes(rawTimestampField(4, 1_900_000_000n, nanos));
    assert.ok(!Number.isNaN(CreateLinkRequest.decode(bytes).expiresAt?.getTime()), "the generated decoder accepts it");
    assert.is(unreadableReason(decodeCreate(bytes).expiresAt), `nanos must be from 0 to 999,999,999, got ${nanos}`);
  }
  const edge = decodeCreate(createBytes(rawTimestampField(4, 1_900_000_000n, 999_999_999n))).expiresAt;
  assert.not.instance(edge, UnreadableTimestamp);
  assert.is(
    decodeCreate(createBytes(rawTimestampField(4, 1_900_000_000n, 999_000_000n))).expiresAt?.getTime(),
    1_900_000_000_999,
  );
});

test("a repeated field is unreadable if any of its occurrences is, whichever comes last", () => {
  const good = rawTimestampField(4, 1_900_000_000n);
  const bad = rawTimestampField(4, 2n ** 60n);
  assert.instance(decodeCreate(createBytes(bad, good)).expiresAt, UnreadableTimestamp);
  assert.instance(decodeCreate(createBytes(good, bad)).expiresAt, UnreadableTimestamp);
  assert.is(decodeCreate(createBytes(bad, good)).url, "https://example.com/");
});

test("an update's expiresAt is checked as well", () => {
  const bytes = Buffer.concat([
    Buffer.from(UpdateLinkRequest.encode(UpdateLinkRequest.fromPartial({ code: "abc", disabled: true })).finish()),
    rawTimestampField(4, 0n, -5n),
  ]);
  const decoded = decodeUpdate(bytes);
  assert.is(unreadableReason(decoded.expiresAt), "nanos must be from 0 to 999,999,999, got -5");
  assert.is(decoded.code, "abc");
  assert.is(decoded.disabled, true);
});

test("bytes that are no protobuf message are left to the generated decoder", () => {
  const truncated = createBytes(rawTimestampField(4, 1n)).subarray(0, -1);
  assert.throws(() => decodeCreate(truncated));
});

test.run();

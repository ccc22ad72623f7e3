/**
 * google.protobuf.Timestamp fields checked as the client sent them, before
 * ts-proto turns them into Dates. Its decoder computes
 * `seconds * 1000 + nanos / 1e6`: nanos outside 0..999,999,999 silently move
 * the instant, seconds beyond a Date's range give an invalid Date, and
 * seconds beyond 2^53 make the decoder throw, which grpc-js answers with
 * INTERNAL before any handler runs. Here such a field reaches the handler as
 * an UnreadableTimestamp, so validateTimestamp refuses it with
 * INVALID_ARGUMENT naming the field, like any other bad value.
 */

import { invalidArgument } from "./errors.js";

/**
 * A google.protobuf.Timestamp the client sent that no Date can hold faithfully
 * (nanos outside 0..999,999,999, seconds beyond the range of a Date or of a
 * JavaScript number): the request decoder hands it on as this invalid Date,
 * which says why, so that the field is refused like any other bad value
 * instead of being moved, dropped or failing the decoding.
 */
export class UnreadableTimestamp extends Date {
  constructor(readonly reason: string) {
    super(Number.NaN);
  }
}

/** DESIGN.md §2: every timestamp lies between these, both included (RFC 3339 can print them, Postgres can store them). */
export const EARLIEST_TIMESTAMP = new Date("1970-01-01T00:00:00.000Z");
export const LATEST_TIMESTAMP = new Date("9999-12-31T23:59:59.999Z");
export const TIMESTAMP_BOUNDS = "between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z";

/** A timestamp field of a request: a valid Date within DESIGN.md §2's bounds, else INVALID_ARGUMENT naming it. */
export function validateTimestamp(field: string, value: Date): Date {
  const ms = value.getTime();
  if (Number.isNaN(ms))
    throw invalidArgument(field, value instanceof UnreadableTimestamp ? value.reason : "not a valid timestamp");
  if (ms < EARLIEST_TIMESTAMP.getTime() || ms > LATEST_TIMESTAMP.getTime())
    throw invalidArgument(field, `must be ${TIMESTAMP_BOUNDS}, got ${value.toISOString()}`);
  return value;
}

/** A Date's range: ±8.64e15 ms around the epoch. */
const MAX_DATE_SECONDS = 8_640_000_000_000n;
const MAX_NANOS = 999_999_999n;

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

interface WireField {
  readonly number: number;
  readonly wireType: number;
  /** Where its tag starts and its value ends: the bytes to keep or leave out. */
  readonly start: number;
  readonly end: number;
  /** The payload of a length-delimited field. */
  readonly payloadStart: number;
  /** The value of a varint field. */
  readonly varint: bigint;
}

/** The top-level fields of a protobuf message; undefined for bytes that are not one (the decoder reports those). */
function readFields(bytes: Uint8Array, from: number, to: number): WireField[] | undefined {
  const fields: WireField[] = [];
  let pos = from;
  const varint = (): bigint | undefined => {
    let value = 0n;
    for (let shift = 0n; shift < 70n && pos < to; shift += 7n) {
      const byte = bytes[pos++] as number;
      value |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return BigInt.asUintN(64, value);
    }
    return undefined;
  };
  while (pos < to) {
    const start = pos;
    const tag = varint();
    if (tag === undefined || tag > 0xffffffffn) return undefined;
    const number = Number(tag >> 3n);
    const wireType = Number(tag & 7n);
    let value = 0n;
    let payloadStart = pos;
    if (wireType === WIRE_VARINT) {
      const read = varint();
      if (read === undefined) return undefined;
      value = read;
    } else if (wireType === WIRE_FIXED64) pos += 8;
    else if (wireType === WIRE_FIXED32) pos += 4;
    else if (wireType === WIRE_LENGTH_DELIMITED) {
      const length = varint();
      if (length === undefined) return undefined;
      payloadStart = pos;
      pos += Number(length);
    } else return undefined;
    if (pos > to) return undefined;
    fields.push({ number, wireType, start, end: pos, payloadStart, varint: value });
  }
  return fields;
}

/** What is wrong with one Timestamp's bytes, or undefined when a Date holds it exactly (to the millisecond). */
function timestampProblem(bytes: Uint8Array, field: WireField): string | undefined {
  const inner = readFields(bytes, field.payloadStart, field.end);
  if (inner === undefined) return undefined;
  let seconds = 0n;
  let nanos = 0n;
  // The generated decoder reads exactly these tags and skips anything else; a later value replaces an earlier one.
  for (const part of inner) {
    if (part.number === 1 && part.wireType === WIRE_VARINT) seconds = BigInt.asIntN(64, part.varint);
    if (part.number === 2 && part.wireType === WIRE_VARINT) nanos = BigInt.asIntN(32, part.varint);
  }
  if (nanos < 0n || nanos > MAX_NANOS) return `nanos must be from 0 to 999,999,999, got ${nanos}`;
  if (seconds <= -MAX_DATE_SECONDS || seconds >= MAX_DATE_SECONDS)
    return `must be ${TIMESTAMP_BOUNDS}, got seconds=${seconds}`;
  return undefined;
}

/**
 * Wraps a request decoder so that unreadable Timestamp fields (field number →
 * the request's property) arrive as an UnreadableTimestamp instead of breaking it.
 */
export function checkTimestampFields<Req>(
  decode: (bytes: Buffer) => Req,
  fields: Readonly<Record<number, string>>,
): (bytes: Buffer) => Req {
  return (bytes) => {
    const all = readFields(bytes, 0, bytes.length);
    if (all === undefined) return decode(bytes);
    const problems = new Map<string, string>();
    const dropped = new Set<number>();
    for (const field of all) {
      const name = fields[field.number];
      if (name === undefined || field.wireType !== WIRE_LENGTH_DELIMITED || dropped.has(field.number)) continue;
      const problem = timestampProblem(bytes, field);
      if (problem === undefined) continue;
      problems.set(name, problem);
      dropped.add(field.number);
    }
    if (problems.size === 0) return decode(bytes);
    const kept = all.filter((field) => !dropped.has(field.number));
    const request = decode(Buffer.concat(kept.map((field) => bytes.subarray(field.start, field.end))));
    for (const [name, reason] of problems) (request as Record<string, unknown>)[name] = new UnreadableTimestamp(reason);
    return request;
  };
}

interface UnaryMethod {
  readonly requestDeserialize: (bytes: Buffer) => unknown;
}

type RequestOf<M> = M extends { requestDeserialize: (bytes: Buffer) => infer Req } ? Req : never;

/**
 * A gRPC service definition whose named methods decode their Timestamp
 * fields through `checkTimestampFields`; the other methods are unchanged.
 */
export function withCheckedTimestamps<D extends Readonly<Record<string, UnaryMethod>>>(
  definition: D,
  methods: { readonly [M in keyof D]?: Readonly<Record<number, keyof RequestOf<D[M]> & string>> },
): D {
  const checked: Record<string, UnaryMethod> = { ...definition };
  for (const [method, fields] of Object.entries(methods) as [string, Readonly<Record<number, string>>][]) {
    const original = definition[method];
    if (original === undefined) throw new Error(`no method ${method} in the service definition`);
    checked[method] = {
      ...original,
      requestDeserialize: checkTimestampFields(original.requestDeserialize, fields),
    };
  }
  return checked as D;
}

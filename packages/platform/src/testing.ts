/**
 * Helpers for the services' unit tests (`@kurt/platform/testing`); nothing
 * that runs imports this.
 */

function varint(value: bigint): number[] {
  let rest = BigInt.asUintN(64, value);
  const bytes: number[] = [];
  do {
    const low = Number(rest & 0x7fn);
    rest >>= 7n;
    bytes.push(rest === 0n ? low : low | 0x80);
  } while (rest !== 0n);
  return bytes;
}

/**
 * Field `number` holding a google.protobuf.Timestamp { seconds, nanos }, as
 * protobuf wire bytes (both written, even when 0): the generated encoders only
 * write Timestamps from Dates, never the raw values a client of another
 * language can send. Appended to an encoded message, it sets that field.
 */
export function rawTimestampField(number: number, seconds: bigint, nanos = 0n): Buffer {
  const inner = [0x08, ...varint(seconds), 0x10, ...varint(nanos)];
  return Buffer.from([...varint(BigInt((number << 3) | 2)), ...varint(BigInt(inner.length)), ...inner]);
}

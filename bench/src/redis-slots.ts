/**
 * The Redis Cluster hash slot of a key (CRC16/XMODEM of the key, or of its
 * {hash tag}, modulo 16384), so that seeding can send each master only the
 * keys it serves, many at once.
 */
export const SLOT_COUNT = 16384;

const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[byte] = crc;
  }
  return table;
})();

function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ (TABLE[((crc >> 8) ^ byte) & 0xff] as number);
  return crc;
}

export function keySlot(key: string): number {
  const open = key.indexOf("{");
  if (open >= 0) {
    const close = key.indexOf("}", open + 1);
    // Only a non-empty tag counts: "{}" hashes the whole key.
    if (close > open + 1) return crc16(Buffer.from(key.slice(open + 1, close))) % SLOT_COUNT;
  }
  return crc16(Buffer.from(key)) % SLOT_COUNT;
}

/**
 * The IPv4 address inside an IPv4-mapped IPv6 address (::ffff:a.b.c.d, RFC
 * 4291 §2.5.5.2), in any spelling (::ffff:808:808, 0:0:0:0:0:ffff:8.8.8.8,
 * upper case); any other address is answered as given. Expects a valid IPv6
 * address (checked by the caller).
 */
export function unmapIpv4(address: string): string {
  const dotted = DOTTED_MAPPED.exec(address);
  if (dotted) return dotted[1] as string;
  // Rare spellings: let the URL parser write the address in its canonical, compressed hexadecimal form.
  if (!/ffff/i.test(address) || address.includes("%")) return address;
  let canonical: string;
  try {
    canonical = new URL(`http://[${address}]/`).hostname;
  } catch {
    return address;
  }
  const hex = HEX_MAPPED.exec(canonical);
  if (!hex) return address;
  const high = Number.parseInt(hex[1] as string, 16);
  const low = Number.parseInt(hex[2] as string, 16);
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}

const DOTTED_MAPPED = /^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;
const HEX_MAPPED = /^\[::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})\]$/;

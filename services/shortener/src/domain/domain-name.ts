import { DOMAIN_MAX_LENGTH } from "@kurt/core/link-domain";
import { invalidArgument } from "@kurt/platform/errors";

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * A domain's name as the client wrote it, checked and normalised: a host
 * name of at least two labels, no scheme, port, path or address;
 * internationalised names in punycode, lowercase, no trailing dot.
 */
export function validateDomainName(raw: string, field = "domain"): string {
  if (raw === "") throw invalidArgument(field, "required");
  if (raw.length > DOMAIN_MAX_LENGTH) throw invalidArgument(field, `longer than ${DOMAIN_MAX_LENGTH} characters`);
  if (/[\s/\\?#@:[\]]/u.test(raw) || /[\p{Cc}\p{Cf}]/u.test(raw))
    throw invalidArgument(field, "must be a host name only, such as go.example.com (no scheme, port, path or space)");
  let hostname: string;
  try {
    hostname = new URL(`http://${raw}/`).hostname;
  } catch {
    throw invalidArgument(field, `not a host name: ${JSON.stringify(raw)}`);
  }
  const name = hostname.endsWith(".") ? hostname.slice(0, -1) : hostname;
  const labels = name.split(".");
  if (name.length > DOMAIN_MAX_LENGTH || !labels.every((label) => LABEL.test(label)))
    throw invalidArgument(field, `not a host name: ${JSON.stringify(raw)}`);
  if (labels.length < 2) throw invalidArgument(field, "needs at least two labels, such as go.example.com");
  if (/^[0-9]+$/.test(labels.at(-1) ?? "")) throw invalidArgument(field, "must be a name, not an IP address");
  if (name === "localhost" || name.endsWith(".localhost")) throw invalidArgument(field, "must not be a loopback name");
  return name;
}

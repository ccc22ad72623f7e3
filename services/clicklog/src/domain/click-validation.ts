import { isWellFormedCode } from "@kurt/core/link-code";
import type { RawClick } from "./click.js";
import { domainNameProblem } from "./domain-name.js";

const MAX_EVENT_ID_LENGTH = 128;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Why a decoded click cannot be counted, or undefined when it can. Without
 * an event id it could not be stored idempotently; without a code, or with a
 * domain no link can have, it belongs to no link. The reason names fields
 * only, never their client-sent values.
 */
export function clickProblem(click: RawClick): string | undefined {
  if (click.eventId === "") return "event_id is empty";
  if (click.eventId.length > MAX_EVENT_ID_LENGTH) return `event_id is longer than ${MAX_EVENT_ID_LENGTH} characters`;
  if (CONTROL.test(click.eventId)) return "event_id contains control characters";
  if (domainNameProblem(click.domain) !== undefined) return "domain is not a domain name";
  if (!isWellFormedCode(click.code)) return "code is not a link code";
  if (Number.isNaN(click.occurredAt.getTime())) return "occurred_at is not a valid time";
  return undefined;
}

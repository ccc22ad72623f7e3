import { ClickEvent } from "@kurt/contract";
import type { RawClick } from "../domain/click.js";

export type DecodedClick = { readonly click: RawClick } | { readonly problem: string };

/**
 * One Kafka message of kurt.clicks.v1. A click without occurred_at takes the
 * message's own timestamp, which is stored with the message, so that a
 * redelivery still carries the same time (the idempotency key includes it).
 * The problem of an undecodable message says what failed, never what the
 * payload held (it carries a client address).
 */
export function decodeClickMessage(value: Buffer | null, timestampMs: string): DecodedClick {
  if (value === null || value.length === 0) return { problem: "empty message" };
  let event: ClickEvent;
  try {
    event = ClickEvent.decode(value);
  } catch (error) {
    return { problem: `not a ClickEvent: ${(error as Error).message}` };
  }
  return {
    click: {
      eventId: event.eventId,
      // Events sent before domains existed have none: "", the default domain, which their links were all of.
      domain: event.domain,
      code: event.code,
      occurredAt: event.occurredAt ?? new Date(Number(timestampMs)),
      referrer: event.referrer,
      userAgent: event.userAgent,
      clientAddress: event.clientAddress,
      redirectStatus: event.redirectStatus,
      servedBy: event.servedBy,
      requestId: event.requestId,
      // Events sent before prefetches were told apart have none: false.
      prefetch: event.prefetch,
    },
  };
}

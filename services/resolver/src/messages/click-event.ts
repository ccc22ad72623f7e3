import { ClickEvent } from "@kurt/contract";
import { linkKey } from "@kurt/core/link-domain";
import type { Click } from "../domain/click.js";
import { toLookupLayerMessage } from "./lookup-layer-message.js";

/** The kurt.clicks.v1 message for a click (proto/kurt/v1/events.proto). */
export function toClickEvent(click: Click): ClickEvent {
  return {
    eventId: click.eventId,
    code: click.code,
    domain: click.domain,
    occurredAt: new Date(click.occurredAtMs),
    referrer: click.referrer,
    userAgent: click.userAgent,
    clientAddress: click.clientAddress,
    redirectStatus: click.redirectStatus,
    servedBy: toLookupLayerMessage(click.servedBy),
    requestId: click.requestId,
    prefetch: click.prefetch,
  };
}

/** Kafka record of a click: keyed by link key so that a link's clicks share a partition and keep their order. */
export function toClickRecord(click: Click): { key: string; value: Buffer } {
  return {
    key: linkKey(click.domain, click.code),
    value: Buffer.from(ClickEvent.encode(toClickEvent(click)).finish()),
  };
}

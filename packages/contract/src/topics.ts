/** Kafka topics of the contract; their messages are in proto/kurt/v1/events.proto. */

/** LinkEvent, produced by the shortener after each committed write, keyed by code. */
export const LINKS_TOPIC = "kurt.links.v1";

/** ClickEvent, produced by the resolver after each redirect it answered, keyed by code. */
export const CLICKS_TOPIC = "kurt.clicks.v1";

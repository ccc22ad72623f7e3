import type { LookupLayer } from "./lookup-layer.js";

/**
 * hit/miss: the layer had the link or not; negative: the in-process negative
 * cache knew the code to be unknown; error: the layer could not answer and
 * the next one was asked.
 */
export type LookupResult = "hit" | "miss" | "negative" | "error";

/** What the resolver reports about its layers (metrics, throttled logs). */
export interface LookupObserver {
  lookup(layer: LookupLayer, result: LookupResult): void;
  layerFailed(layer: LookupLayer, error: unknown): void;
}

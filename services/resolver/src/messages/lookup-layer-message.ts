import { LookupLayer } from "@kurt/contract";
import type { LookupLayer as DomainLayer } from "../domain/lookup-layer.js";

const LAYERS: Record<DomainLayer, LookupLayer> = {
  memory: LookupLayer.LOOKUP_LAYER_MEMORY,
  redis: LookupLayer.LOOKUP_LAYER_REDIS,
  replica: LookupLayer.LOOKUP_LAYER_REPLICA,
  primary: LookupLayer.LOOKUP_LAYER_PRIMARY,
};

/** The contract's enum for the layer that answered (ResolveResponse.served_by, ClickEvent.served_by). */
export function toLookupLayerMessage(layer: DomainLayer): LookupLayer {
  return LAYERS[layer];
}

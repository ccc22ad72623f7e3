import type { Click } from "./click.js";

/** Where clicks go (Kafka topic kurt.clicks.v1). */
export interface ClickSender {
  /** Resolves once every click of the batch is durably accepted; rejects when any may not be. */
  send(batch: readonly Click[]): Promise<void>;
  close(): Promise<void>;
}

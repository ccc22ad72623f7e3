/**
 * queue_full: a new click pushed out the oldest waiting one; requeue_full: a
 * batch that failed to send did not fit back into the queue; shutdown: clicks
 * still waiting when the flush at exit ran out of time.
 */
export type ClickDropReason = "queue_full" | "requeue_full" | "shutdown";

/** What the click publisher reports (metrics, throttled logs). */
export interface ClickObserver {
  enqueued(): void;
  sent(count: number, seconds: number): void;
  sendFailed(count: number, error: unknown): void;
  dropped(reason: ClickDropReason, count: number): void;
}

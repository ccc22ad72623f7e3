/**
 * A FIFO of at most `capacity` items on a ring buffer: pushing, taking from
 * the front and putting back at the front are O(1) per item, so the
 * redirect path can enqueue without allocating or shifting an array.
 *
 * Full means the oldest items go: under a long outage the newest clicks are
 * the ones still worth sending, and the bound keeps memory flat.
 */
export interface BoundedQueue<T> {
  readonly size: number;
  readonly capacity: number;
  /** Adds at the back; returns how many of the oldest items were dropped to make room (0 or 1). */
  push(item: T): number;
  /** The oldest item, left in place. */
  peek(): T | undefined;
  /** Removes and returns up to `max` items from the front, oldest first. */
  take(max: number): T[];
  /**
   * Puts `items` (taken earlier, oldest first) back in front of everything
   * queued since, in their order. When they do not all fit, the oldest of
   * them are dropped; returns how many.
   */
  requeueFront(items: readonly T[]): number;
}

export function createBoundedQueue<T>(capacity: number): BoundedQueue<T> {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be ≥ 1, got ${capacity}`);
  const slots: Array<T | undefined> = new Array(capacity);
  let head = 0;
  let size = 0;
  const at = (offset: number) => (head + offset) % capacity;

  return {
    get size() {
      return size;
    },
    capacity,
    push(item) {
      if (size === capacity) {
        // Overwrites the oldest slot and moves the front past it.
        slots[head] = item;
        head = at(1);
        return 1;
      }
      slots[at(size)] = item;
      size += 1;
      return 0;
    },
    peek() {
      return size === 0 ? undefined : slots[head];
    },
    take(max) {
      const count = Math.min(Math.max(0, Math.floor(max)), size);
      const items: T[] = new Array(count);
      for (let i = 0; i < count; i++) {
        items[i] = slots[head] as T;
        slots[head] = undefined;
        head = at(1);
      }
      size -= count;
      return items;
    },
    requeueFront(items) {
      const fit = Math.min(items.length, capacity - size);
      const dropped = items.length - fit;
      // Newest first, each in front of the previous one: the order comes out unchanged.
      for (let i = items.length - 1; i >= dropped; i--) {
        head = (head - 1 + capacity) % capacity;
        slots[head] = items[i];
        size += 1;
      }
      return dropped;
    },
  };
}

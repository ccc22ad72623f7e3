import type { EnrichedClick } from "./click.js";

export interface ClickStore {
  /**
   * Stores the clicks whose event id is new and adds exactly those to the
   * rollups, atomically: either all of it happens or none. Answers how many
   * were new; the others had been stored before (a redelivery).
   */
  store(clicks: readonly EnrichedClick[]): Promise<number>;
}

/** The daily partitions of the raw clicks. */
export interface ClickPartitions {
  /** Makes sure a partition exists for each day ("YYYY-MM-DD"); safe to call from every replica at once. */
  ensure(days: readonly string[]): Promise<void>;
  /** Drops the partitions of days before `day`; answers the days dropped. */
  dropBefore(day: string): Promise<string[]>;
  /** Forgets what this process believes exists (after a failure that suggests it was wrong). */
  forget(): void;
}

import type { Logger } from "@kurt/platform";
import type { Admin, Kafka } from "kafkajs";
import type { Gauge } from "prom-client";

/**
 * Refreshes the lag gauge: per partition, the high watermark minus the
 * group's committed offset (a partition the group never committed lags by
 * everything still retained). Every replica reports the whole group's lag;
 * a failed refresh (Kafka down) leaves the last values and is retried.
 */
export function startLagMonitor(options: {
  readonly kafka: Kafka;
  readonly topic: string;
  readonly groupId: string;
  readonly gauge: Gauge<"partition">;
  readonly intervalMs: number;
  readonly logger: Logger;
}): { stop(): Promise<void> } {
  let admin: Admin | undefined;
  let connected = false;
  let running: Promise<void> | undefined;

  const refresh = async () => {
    admin ??= options.kafka.admin();
    if (!connected) {
      await admin.connect();
      connected = true;
    }
    const [ends, groups] = await Promise.all([
      admin.fetchTopicOffsets(options.topic),
      admin.fetchOffsets({ groupId: options.groupId, topics: [options.topic] }),
    ]);
    const committed = new Map(
      (groups.find((group) => group.topic === options.topic)?.partitions ?? []).map((p) => [p.partition, p.offset]),
    );
    for (const end of ends) {
      const offset = committed.get(end.partition);
      const from = offset === undefined || Number(offset) < 0 ? Number(end.low) : Number(offset);
      options.gauge.set({ partition: String(end.partition) }, Math.max(0, Number(end.high) - from));
    }
  };

  const timer = setInterval(() => {
    // A refresh slower than the interval (Kafka timing out) is not stacked with another.
    if (running !== undefined) return;
    running = refresh()
      .catch(async (error: unknown) => {
        options.logger.debug("consumer lag not refreshed", { error });
        connected = false;
        const broken = admin;
        admin = undefined;
        await broken?.disconnect().catch(() => {});
      })
      .finally(() => {
        running = undefined;
      });
  }, options.intervalMs);
  timer.unref();

  return {
    async stop() {
      clearInterval(timer);
      await running;
      await admin?.disconnect().catch(() => {});
    },
  };
}

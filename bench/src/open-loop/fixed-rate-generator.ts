import { connect, type Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { createHttpResponseReader } from "./http-response-reader.js";

/**
 * An open-loop load generator: request i is due at start + i / rate whether
 * or not the system kept up, and its latency is counted from that instant
 * (so a stall is charged to every request it delayed, not only to the one in
 * flight: no coordinated omission). Requests go out over a fixed set of
 * keep-alive connections; a due request waits in a queue when all of them
 * are busy, and that wait is part of its latency.
 *
 * wrk2 does this in C; Debian has no wrk2, so this is the same idea in Node,
 * on raw sockets to keep the generator's own cost low. Its own lateness
 * (the event loop was busy when a request fell due) is reported beside the
 * results, so it can be told apart from the system's.
 */

export interface FixedRateConfig {
  readonly host: string;
  readonly port: number;
  /** Request paths, walked in order from `start`. */
  readonly paths: readonly string[];
  readonly start: number;
  readonly ratePerSecond: number;
  readonly durationS: number;
  readonly connections: number;
  readonly userAgent: string;
}

export interface Percentiles {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

export interface FixedRateResult {
  readonly targetRate: number;
  readonly achievedRate: number;
  readonly completed: number;
  readonly unfinished: number;
  readonly statuses: Record<string, number>;
  readonly socketErrors: number;
  /** From the instant each request was due to its last byte. */
  readonly latencyMs: Percentiles;
  /** From the instant each request was written to its last byte. */
  readonly serviceMs: Percentiles;
  /** How late the generator itself wrote requests whose connection was free. */
  readonly generatorLagMs: Percentiles;
}

interface Connection {
  socket: Socket;
  busy: boolean;
  dueAt: number;
  sentAt: number;
}

export function percentiles(values: Float64Array): Percentiles {
  if (values.length === 0) return { p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), max: sorted[sorted.length - 1] as number };
}

export async function runFixedRate(config: FixedRateConfig): Promise<FixedRateResult> {
  const total = Math.round(config.ratePerSecond * config.durationS);
  const interval = 1000 / config.ratePerSecond;
  const latency = new Float64Array(total);
  const service = new Float64Array(total);
  const lag = new Float64Array(total);
  const statuses: Record<string, number> = {};
  let completed = 0;
  let lagged = 0;
  let socketErrors = 0;
  let issued = 0;
  let position = config.start;
  const pending: number[] = [];
  const idle: Connection[] = [];
  const tail = `HTTP/1.1\r\nHost: ${config.host}:${config.port}\r\nUser-Agent: ${config.userAgent}\r\nAccept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\nAccept-Language: en-US,en;q=0.9\r\n\r\n`;
  let finished: () => void = () => {};
  const allDone = new Promise<void>((resolve) => {
    finished = resolve;
  });

  const send = (connection: Connection, dueAt: number) => {
    const path = config.paths[position % config.paths.length] as string;
    position += 1;
    connection.busy = true;
    connection.dueAt = dueAt;
    connection.sentAt = performance.now();
    connection.socket.write(`GET ${path} ${tail}`, "latin1");
  };

  const complete = (connection: Connection, status: number) => {
    const now = performance.now();
    latency[completed] = now - connection.dueAt;
    service[completed] = now - connection.sentAt;
    completed += 1;
    const key = String(status);
    statuses[key] = (statuses[key] ?? 0) + 1;
    connection.busy = false;
    const next = pending.shift();
    if (next !== undefined) send(connection, next);
    else idle.push(connection);
    if (completed === total) finished();
  };

  const open = (): Promise<Connection> =>
    new Promise((resolve, reject) => {
      const socket = connect({ host: config.host, port: config.port });
      socket.setNoDelay(true);
      const connection: Connection = { socket, busy: false, dueAt: 0, sentAt: 0 };
      const reader = createHttpResponseReader();
      socket.on("data", (chunk: Buffer) => {
        for (const status of reader.push(chunk)) complete(connection, status);
      });
      socket.once("connect", () => resolve(connection));
      socket.on("error", (error) => {
        socketErrors += 1;
        reject(error);
      });
    });

  const connections = await Promise.all(Array.from({ length: config.connections }, open));
  idle.push(...connections);
  const startedAt = performance.now() + 10;

  const dispatch = () => {
    const now = performance.now();
    const due = Math.min(total, Math.floor((now - startedAt) / interval) + 1);
    while (issued < due) {
      const dueAt = startedAt + issued * interval;
      issued += 1;
      const connection = idle.pop();
      if (connection === undefined) {
        pending.push(dueAt);
      } else {
        lag[lagged++] = now - dueAt;
        send(connection, dueAt);
      }
    }
    if (issued >= total) return;
    // Timers fire a millisecond late or more: the last stretch before a due instant is polled.
    const wait = startedAt + issued * interval - performance.now();
    if (wait > 2) setTimeout(dispatch, wait - 1.5);
    else setImmediate(dispatch);
  };
  setTimeout(dispatch, 10);

  // Whatever is not answered within 10 s of the last due instant is unfinished.
  const endOfLoad = config.durationS * 1000 + 10_000;
  await Promise.race([allDone, new Promise((resolve) => setTimeout(resolve, endOfLoad + 20).unref())]);
  const elapsedS = (performance.now() - startedAt) / 1000;
  for (const connection of connections) connection.socket.destroy();
  return {
    targetRate: config.ratePerSecond,
    achievedRate: completed / Math.max(elapsedS, config.durationS),
    completed,
    unfinished: total - completed,
    statuses,
    socketErrors,
    latencyMs: percentiles(latency.subarray(0, completed)),
    serviceMs: percentiles(service.subarray(0, completed)),
    generatorLagMs: percentiles(lag.subarray(0, lagged)),
  };
}

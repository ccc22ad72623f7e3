import { Counter, type Registry } from "prom-client";

/** The answers the redirect listener gives; each has a series from the start, at zero. */
const STATUSES = [301, 302, 307, 308, 404, 405, 410, 500, 503] as const;

/** resolver_http_answers_total{status}: what the public redirect listener answered. */
export function createRedirectTelemetry(registry: Registry): (status: number) => void {
  const answers = new Counter({
    name: "resolver_http_answers_total",
    help: "Answers of the resolver's public redirect listener (GET and HEAD /{code}), by HTTP status",
    labelNames: ["status"],
    registers: [registry],
  });
  // The hot path reuses the bound children.
  const children = new Map(STATUSES.map((status) => [status as number, answers.labels({ status })]));
  for (const child of children.values()) child.inc(0);
  return (status) => {
    const child = children.get(status);
    if (child === undefined) answers.inc({ status });
    else child.inc();
  };
}

import { request as httpRequest } from "node:http";
import { topology } from "./stack.js";

/** What the gateway answered to a visit under a given Host. */
export interface HostVisit {
  readonly status: number;
  readonly location: string | undefined;
  readonly body: string;
}

/**
 * `GET|HEAD path` through Envoy with the Host header of another domain (fetch
 * cannot set Host), without following a redirect.
 */
export function visitHost(
  host: string,
  path: string,
  method = "GET",
  headers: Readonly<Record<string, string>> = {},
): Promise<HostVisit> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: topology.host,
        port: topology.envoy.httpPort,
        method,
        path,
        headers: { ...headers, host },
        timeout: 10_000,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${host}${path} timed out`)));
    req.on("error", reject);
    req.end();
  });
}

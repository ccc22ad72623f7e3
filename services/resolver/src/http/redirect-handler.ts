import type { IncomingMessage, ServerResponse } from "node:http";
import { GrpcCode } from "@kurt/core/error-status";
import { REQUEST_ID_KEY } from "@kurt/core/headers";
import { type HttpHandler, type Logger, toHttpError } from "@kurt/platform";
import { KurtError, notFound } from "@kurt/platform/errors";
import type { ClickRecorder } from "../domain/click.js";
import type { DomainDirectory } from "../domain/domain-directory.js";
import { withForwardedQuery } from "../domain/forward-query.js";
import type { LinkResolver } from "../domain/link-resolver.js";
import { clickFacts } from "../visitor/click-facts.js";
import { asciiHeaderValue } from "../visitor/header-value.js";

/** DESIGN.md §2: every visit reaches Kurt unless the link asks browsers to keep its redirect. */
export function cacheControl(cacheSeconds: number): string {
  return cacheSeconds > 0 ? `private, max-age=${cacheSeconds}` : "private, no-store";
}

/**
 * The code of `/{code}` with any query string dropped (a visitor's
 * `utm_source` is not the link's business). Envoy routes only paths of one
 * segment here; a percent-encoded one is decoded as a browser would mean it.
 */
export function codeOfPath(url: string): string {
  const end = url.indexOf("?");
  const segment = url.slice(1, end === -1 ? undefined : end);
  if (!segment.includes("%")) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function firstHeader(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const METHODS_ALLOWED = "GET, HEAD";

/**
 * The public redirect, `GET|HEAD /{code}`, as Envoy proxies it over
 * HTTP/1.1 (DESIGN.md §1, docs/adr/0014): 301/302/307/308 with `Location`
 * and an empty body, or the contract's JSON error (404 unknown, 410 gone,
 * 503 when no database can tell: @kurt/core's error-status table). Only a
 * GET that redirects is counted; a HEAD is answered the same way, without a body (Node leaves it out) and
 * without a click. Nothing in the answer says which layer served it.
 */
export function createRedirectHandler(deps: {
  readonly resolver: LinkResolver;
  /** Which domain the Host selects, and its root and not-found redirects. */
  readonly domains: Pick<DomainDirectory, "domainOfHost" | "settings">;
  readonly clicks: ClickRecorder;
  readonly logger: Logger;
  /** Told the status of every answer (metrics). */
  readonly answered: (status: number) => void;
}): HttpHandler {
  const { resolver, domains, clicks, logger, answered } = deps;

  const log = (request: IncomingMessage, status: number, started: bigint) => {
    if (!logger.enabled("debug")) return;
    logger.debug("redirect", {
      method: request.method,
      status,
      requestId: firstHeader(request, REQUEST_ID_KEY),
      durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10,
    });
  };

  const fail = (request: IncomingMessage, response: ServerResponse, error: unknown, started: bigint) => {
    const { status, body, internal } = toHttpError(error);
    if (internal) logger.error("unexpected error", { requestId: firstHeader(request, REQUEST_ID_KEY), error });
    response.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      "cache-control": "no-store",
    });
    response.end(body);
    answered(status);
    log(request, status, started);
  };

  // A domain's own root and not-found redirects: never counted, never kept by browsers (they may change).
  const domainRedirect = (request: IncomingMessage, response: ServerResponse, location: string, started: bigint) => {
    response.writeHead(302, { location: asciiHeaderValue(location), "cache-control": "no-store", "content-length": 0 });
    response.end();
    answered(302);
    log(request, 302, started);
  };

  return (request, response) => {
    const started = process.hrtime.bigint();
    const method = request.method;
    if (method !== "GET" && method !== "HEAD") {
      const body = JSON.stringify({
        code: GrpcCode.UNIMPLEMENTED,
        message: `${method} is not allowed here; use GET or HEAD`,
        details: [],
      });
      response.writeHead(405, {
        allow: METHODS_ALLOWED,
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
      });
      response.end(body);
      answered(405);
      return;
    }
    const domain = domains.domainOfHost(request.headers.host);
    const code = codeOfPath(request.url ?? "/");
    if (code === "") {
      const root = domains.settings(domain)?.rootRedirect;
      if (root != null) domainRedirect(request, response, root, started);
      else fail(request, response, notFound("page"), started);
      return;
    }
    resolver.resolve(domain, code).then(
      (redirect) => {
        // Only a link that forwards the query pays for finding it.
        const query = redirect.forwardQuery ? (request.url ?? "").indexOf("?") : -1;
        const target = query === -1 ? redirect.url : withForwardedQuery(redirect.url, (request.url ?? "").slice(query));
        response.writeHead(redirect.redirectStatus, {
          location: asciiHeaderValue(target),
          "cache-control": cacheControl(redirect.cacheSeconds),
          "content-length": 0,
        });
        response.end();
        // Recording only queues the click: sending it happens later, off this answer's path.
        if (method === "GET")
          clicks.record(clickFacts({ domain, code }, redirect, (name) => firstHeader(request, name)));
        answered(redirect.redirectStatus);
        log(request, redirect.redirectStatus, started);
      },
      (error: unknown) => {
        const elsewhere = domains.settings(domain)?.notFoundRedirect;
        if (elsewhere != null && error instanceof KurtError && error.code === "not_found")
          domainRedirect(request, response, elsewhere, started);
        else fail(request, response, error, started);
      },
    );
  };
}

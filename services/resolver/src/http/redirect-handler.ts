import type { IncomingMessage, ServerResponse } from "node:http";
import { GrpcCode } from "@kurt/core/error-status";
import { REQUEST_ID_KEY } from "@kurt/core/headers";
import { linkKey } from "@kurt/core/link-domain";
import { type HttpHandler, type Logger, toHttpError } from "@kurt/platform";
import { KurtError, notFound } from "@kurt/platform/errors";
import { isbot } from "isbot";
import type { ClickRecorder } from "../domain/click.js";
import type { DomainDirectory } from "../domain/domain-directory.js";
import { withForwardedQuery } from "../domain/forward-query.js";
import type { LinkResolver, Redirect } from "../domain/link-resolver.js";
import type { PasswordAttempts } from "../domain/password-attempts.js";
import type { RuleTarget } from "../domain/rule-target.js";
import { passVisitCap, type VisitCounter } from "../domain/visit-gate.js";
import { clickFacts } from "../visitor/click-facts.js";
import { clientAddress } from "../visitor/client-address.js";
import { asciiHeaderValue } from "../visitor/header-value.js";
import { isPrefetch } from "../visitor/prefetch.js";
import { PASSWORD_FORM_HEADERS, type PasswordFormNotice, passwordFormPage } from "./password-form.js";
import { readForm } from "./read-form.js";

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

const METHODS_ALLOWED = "GET, HEAD, POST";

/** A password form's POST answers 303: the browser then GETs the target, never re-posting the password to it. */
const AFTER_FORM_STATUS = 303;

/**
 * The public redirect, `GET|HEAD /{code}` and the password form's
 * `POST /{code}`, as Envoy proxies them over HTTP/1.1 (DESIGN.md §1 and §2,
 * docs/adr/0014, 0027): 301/302/307/308 with `Location` and an empty body,
 * or the contract's JSON error (404 unknown, 410 gone or out of visits, 503
 * when no database can tell: @kurt/core's error-status table). A GET that
 * redirects is counted; a HEAD is answered the same way, without a body
 * (Node leaves it out) and without a click. Nothing in the answer says which
 * layer served it.
 *
 * A link with no password, cap or rules takes the synchronous path below;
 * the others pay for what they use:
 *   - password: GET and HEAD answer the form (200, uncounted); a POST with
 *     the right password redirects with 303 and is counted, a wrong one
 *     answers 403 with the form, and too many wrong tries 429;
 *   - maxVisits: a human GET or form POST takes a visit on the primary
 *     first (410 when none is left); bots, HEAD and prefetches only check;
 *   - rules: the first that holds for this visitor gives the target.
 */
export function createRedirectHandler(deps: {
  readonly resolver: LinkResolver;
  /** Which domain the Host selects, and its root and not-found redirects. */
  readonly domains: Pick<DomainDirectory, "domainOfHost" | "settings">;
  readonly clicks: ClickRecorder;
  readonly visits: VisitCounter;
  readonly passwordAttempts: PasswordAttempts;
  readonly verifyPassword: (password: string, hash: string) => Promise<boolean>;
  /** The target the link's rules give this request, or undefined when none holds (only called for links with rules). */
  readonly ruleTarget: RuleTarget;
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

  const methodNotAllowed = (response: ServerResponse, method: string | undefined, allow: string) => {
    const body = JSON.stringify({
      code: GrpcCode.UNIMPLEMENTED,
      message: `${method} is not allowed here; use ${allow.replace(/, (?=[^,]*$)/, " or ")}`,
      details: [],
    });
    response.writeHead(405, { allow, "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    response.end(body);
    answered(405);
  };

  // A domain's own root and not-found redirects: never counted, never kept by browsers (they may change).
  const domainRedirect = (request: IncomingMessage, response: ServerResponse, location: string, started: bigint) => {
    response.writeHead(302, { location: asciiHeaderValue(location), "cache-control": "no-store", "content-length": 0 });
    response.end();
    answered(302);
    log(request, 302, started);
  };

  const form = (
    request: IncomingMessage,
    response: ServerResponse,
    status: number,
    notice: PasswordFormNotice,
    started: bigint,
    extra: Record<string, string> = {},
  ) => {
    const page = passwordFormPage(notice);
    response.writeHead(status, { ...PASSWORD_FORM_HEADERS, ...extra, "content-length": Buffer.byteLength(page) });
    response.end(page);
    answered(status);
    log(request, status, started);
  };

  /** Writes the redirect to `redirect`'s target (or the rule's) and records the click of a GET or POST. */
  const redirectTo = (
    request: IncomingMessage,
    response: ServerResponse,
    link: { readonly domain: string; readonly code: string },
    redirect: Redirect,
    status: number,
    started: bigint,
  ) => {
    const url =
      redirect.rules.length === 0
        ? redirect.url
        : (deps.ruleTarget(redirect, {
            header: (name) => firstHeader(request, name),
            url: request.url ?? "/",
          }) ?? redirect.url);
    // Only a link that forwards the query pays for finding it.
    const query = redirect.forwardQuery ? (request.url ?? "").indexOf("?") : -1;
    const target = query === -1 ? url : withForwardedQuery(url, (request.url ?? "").slice(query));
    response.writeHead(status, {
      location: asciiHeaderValue(target),
      "cache-control": status === AFTER_FORM_STATUS ? "no-store" : cacheControl(redirect.cacheSeconds),
      "content-length": 0,
    });
    response.end();
    // Recording only queues the click: sending it happens later, off this answer's path.
    if (request.method !== "HEAD")
      clicks.record(
        clickFacts(
          link,
          status === redirect.redirectStatus ? redirect : { ...redirect, redirectStatus: status },
          (name) => firstHeader(request, name),
        ),
      );
    answered(status);
    log(request, status, started);
  };

  /** The visit of a link with a password or a cap: the slow path. */
  const guardedVisit = async (
    request: IncomingMessage,
    response: ServerResponse,
    link: { readonly domain: string; readonly code: string },
    redirect: Redirect,
    started: bigint,
  ) => {
    const method = request.method;
    const header = (name: string) => firstHeader(request, name);
    let status = redirect.redirectStatus;
    if (redirect.passwordHash !== null) {
      if (method !== "POST") return form(request, response, 200, "none", started);
      const client = clientAddress(header);
      const key = linkKey(link.domain, link.code);
      const waitSeconds = await deps.passwordAttempts.blockedFor(key, client);
      if (waitSeconds > 0)
        return form(request, response, 429, "too-many", started, { "retry-after": String(waitSeconds) });
      const fields = await readForm(request);
      const password = fields.get("password") ?? "";
      if (password === "") return form(request, response, 403, "missing", started);
      if (!(await deps.verifyPassword(password, redirect.passwordHash))) {
        await deps.passwordAttempts.failed(key, client);
        return form(request, response, 403, "wrong", started);
      }
      status = AFTER_FORM_STATUS;
    }
    if (redirect.maxVisits !== null) {
      const human = method !== "HEAD" && !isPrefetch(header) && !isbot(header("user-agent") ?? "");
      await passVisitCap(deps.visits, link, redirect, human);
    }
    redirectTo(request, response, link, redirect, status, started);
  };

  return (request, response) => {
    const started = process.hrtime.bigint();
    const method = request.method;
    if (method !== "GET" && method !== "HEAD" && method !== "POST")
      return methodNotAllowed(response, method, METHODS_ALLOWED);
    const domain = domains.domainOfHost(request.headers.host);
    const code = codeOfPath(request.url ?? "/");
    if (code === "") {
      if (method === "POST") return methodNotAllowed(response, method, "GET, HEAD");
      const root = domains.settings(domain)?.rootRedirect;
      if (root != null) domainRedirect(request, response, root, started);
      else fail(request, response, notFound("page"), started);
      return;
    }
    const link = { domain, code };
    const failed = (error: unknown) => {
      const elsewhere = domains.settings(domain)?.notFoundRedirect;
      if (elsewhere != null && error instanceof KurtError && error.code === "not_found")
        domainRedirect(request, response, elsewhere, started);
      else fail(request, response, error, started);
    };
    resolver.resolve(domain, code).then((redirect) => {
      // Only a password form posts.
      if (method === "POST" && redirect.passwordHash === null) return methodNotAllowed(response, method, "GET, HEAD");
      if (redirect.passwordHash === null && redirect.maxVisits === null)
        return redirectTo(request, response, link, redirect, redirect.redirectStatus, started);
      guardedVisit(request, response, link, redirect, started).catch(failed);
    }, failed);
  };
}

/**
 * HTTP header and gRPC metadata names used by more than one part (gateway,
 * services, platform, SDK). Envoy carries HTTP headers to gRPC metadata and
 * back, so one name serves both. Lower case, as gRPC requires.
 */

/** "Bearer <api key>", on every call to the shortener and to clicklog. */
export const AUTHORIZATION_KEY = "authorization";

/** The request id Envoy assigns; logged by every service and copied into events. */
export const REQUEST_ID_KEY = "x-request-id";

/**
 * Set to "1" by the gateway on a HEAD turned into a GET: the resolver answers
 * as usual but counts no click. The gateway strips it from client requests.
 */
export const NO_CLICK_KEY = "x-kurt-no-click";

/** Response metadata of Resolve: the redirect target, sent on as the Location header. */
export const LOCATION_KEY = "location";

/** Response metadata of Resolve: 301, 302, 307 or 308, which the gateway makes the HTTP status. */
export const REDIRECT_STATUS_KEY = "x-kurt-redirect-status";

/** Trailing metadata of a refused call: the KurtError code (invalid_argument, not_found, …). */
export const ERROR_CODE_KEY = "x-kurt-error-code";

/** Trailing metadata of a refused call: the request field at fault, when there is one. */
export const ERROR_FIELD_KEY = "x-kurt-error-field";

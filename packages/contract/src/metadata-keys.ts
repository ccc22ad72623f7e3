/**
 * gRPC metadata keys shared by the gateway and the services. They are part of
 * the contract because Envoy carries HTTP headers to gRPC metadata and back:
 * the transcoder answers 200, so the redirect itself travels as metadata.
 * Keys are lower case, as gRPC requires.
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

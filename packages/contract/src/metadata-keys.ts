/**
 * gRPC metadata keys shared by the gateway and the services. They are part of
 * the contract because Envoy carries HTTP headers to gRPC metadata and back:
 * the transcoder answers 200, so the redirect itself travels as metadata.
 * The names themselves live in @kurt/core/headers, with the other header
 * names several parts share.
 */
export {
  AUTHORIZATION_KEY,
  ERROR_CODE_KEY,
  ERROR_FIELD_KEY,
  LOCATION_KEY,
  NO_CLICK_KEY,
  REDIRECT_STATUS_KEY,
  REQUEST_ID_KEY,
} from "@kurt/core/headers";

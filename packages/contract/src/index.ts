/**
 * The Kurt contract for TypeScript: messages, gRPC service definitions and
 * clients generated from proto/ (never edit ./gen by hand; run
 * `npm run generate`), plus the few names the protos cannot carry: Kafka
 * topics, scopes, redirect statuses, the Redis link entry, and the gRPC
 * metadata keys (Envoy carries HTTP headers to metadata and back; the names
 * live in @kurt/core/headers with the other header names several parts share).
 *
 * This index also re-exports the generated grpc-js clients and services, so
 * domain code takes the driver-free sub-paths instead:
 * `@kurt/contract/link-cache`, `@kurt/contract/redirect-status`,
 * `@kurt/contract/scopes`.
 *
 * Generated names follow ts-proto: for service kurt.v1.LinkService,
 * `LinkServiceService` is the @grpc/grpc-js service definition (pass it to
 * server.addService), `LinkServiceServer` the implementation's type and
 * `LinkServiceClient` the client constructor. Every message is both a type and
 * a value with encode/decode/fromJSON/toJSON/fromPartial.
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
export { HttpBody } from "./gen/google/api/httpbody.js";
export type { ApiKeyServiceServer } from "./gen/kurt/v1/api_key_service.js";
export {
  ApiKey,
  ApiKeyServiceClient,
  ApiKeyServiceService,
  CreateApiKeyRequest,
  CreateApiKeyResponse,
  ListApiKeysRequest,
  ListApiKeysResponse,
  RevokeApiKeyRequest,
} from "./gen/kurt/v1/api_key_service.js";
export type { DomainServiceServer } from "./gen/kurt/v1/domain_service.js";
export {
  CreateDomainRequest,
  DeleteDomainRequest,
  Domain,
  DomainServiceClient,
  DomainServiceService,
  ListDomainsRequest,
  ListDomainsResponse,
  UpdateDomainRequest,
} from "./gen/kurt/v1/domain_service.js";
export {
  ClickEvent,
  LinkEvent,
  LinkEventKind,
  linkEventKindFromJSON,
  linkEventKindToJSON,
} from "./gen/kurt/v1/events.js";
export type { DeepPartial, MessageFns } from "./gen/kurt/v1/link.js";
export { Link, RedirectRule, RedirectRuleQuery } from "./gen/kurt/v1/link.js";
export type { LinkServiceServer } from "./gen/kurt/v1/link_service.js";
export {
  BatchCreateLinkError,
  BatchCreateLinkResult,
  BatchCreateLinksRequest,
  BatchCreateLinksResponse,
  CreateLinkRequest,
  DeleteLinkRequest,
  DeleteLinkResponse,
  GetLinkQrCodeRequest,
  GetLinkRequest,
  LinkServiceClient,
  LinkServiceService,
  ListLinksRequest,
  ListLinksResponse,
  UpdateLinkRequest,
} from "./gen/kurt/v1/link_service.js";
export { LookupLayer, lookupLayerFromJSON, lookupLayerToJSON } from "./gen/kurt/v1/lookup_layer.js";
export type { ResolverServiceServer } from "./gen/kurt/v1/resolver_service.js";
export {
  ResolveRequest,
  ResolveResponse,
  ResolverServiceClient,
  ResolverServiceService,
} from "./gen/kurt/v1/resolver_service.js";
export type { StatsServiceServer } from "./gen/kurt/v1/stats_service.js";
export {
  DimensionCount,
  GetLinkStatsRequest,
  SeriesPoint,
  Stats,
  StatsInterval,
  StatsServiceClient,
  StatsServiceService,
  statsIntervalFromJSON,
  statsIntervalToJSON,
} from "./gen/kurt/v1/stats_service.js";
export type { LinkCacheEntry } from "./link-cache.js";
export {
  decodeLinkCacheEntry,
  encodeLinkCacheEntry,
  LINK_CACHE_TTL_SECONDS,
  linkCacheKey,
} from "./link-cache.js";
export type { RedirectStatus } from "./redirect-status.js";
export { DEFAULT_REDIRECT_STATUS, isRedirectStatus, REDIRECT_STATUSES } from "./redirect-status.js";
export type { ApiKeyScope } from "./scopes.js";
export { API_KEY_SCOPES, isApiKeyScope } from "./scopes.js";
export { CLICKS_TOPIC, LINKS_TOPIC } from "./topics.js";

/**
 * @kurt/sdk: a typed gRPC client for Kurt, on the contract generated from
 * proto/ (@kurt/contract). See docs/sdk/typescript.md.
 *
 *   const kurt = createKurtClient({ address: "127.0.0.1:24081", apiKey });
 *   const link = await kurt.createLink({ url: "https://example.com" });
 */
export type {
  ApiKey,
  BatchCreateLinkError,
  BatchCreateLinkResult,
  BatchCreateLinksResponse,
  CreateApiKeyResponse,
  Domain,
  Link,
  ListApiKeysResponse,
  ListDomainsResponse,
  ListLinksResponse,
  RedirectRule,
  RedirectRuleQuery,
  ResolveResponse,
  SeriesPoint,
  Stats,
} from "@kurt/contract";
export type {
  CallInput,
  CreateDomainInput,
  CreateLinkInput,
  DomainInput,
  KurtClient,
  KurtClientOptions,
  ListLinksInput,
  PageInput,
  QrCodeImage,
  QrCodeInput,
  RedirectRuleInput,
  ResolveInput,
  StatsInput,
  UpdateDomainInput,
  UpdateLinkInput,
} from "./kurt-client.js";
export { createKurtClient, DEFAULT_DEADLINE_MS } from "./kurt-client.js";
export type { KurtErrorCode } from "./kurt-error.js";
export { KurtError, toKurtError } from "./kurt-error.js";
export type { RetryPolicy } from "./retry.js";
export { DEFAULT_RETRY_POLICY } from "./retry.js";

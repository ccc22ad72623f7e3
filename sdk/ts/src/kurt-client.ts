import {
  type CallOptions,
  type ChannelCredentials,
  type ClientUnaryCall,
  credentials,
  Metadata,
  type ServiceError,
  status,
} from "@grpc/grpc-js";
import {
  type ApiKey,
  ApiKeyServiceClient,
  AUTHORIZATION_KEY,
  type BatchCreateLinksResponse,
  type CreateApiKeyResponse,
  type CreateLinkRequest,
  type Domain,
  DomainServiceClient,
  type Link,
  LinkServiceClient,
  type ListApiKeysResponse,
  type ListDomainsResponse,
  type ListLinksResponse,
  NO_CLICK_KEY,
  type RedirectRule,
  type ResolveResponse,
  ResolverServiceClient,
  type Stats,
  StatsInterval,
  StatsServiceClient,
} from "@kurt/contract";
import { toKurtError } from "./kurt-error.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withRetries } from "./retry.js";

export interface KurtClientOptions {
  /** host:port of Kurt's gRPC endpoint (Envoy's internal gRPC listener). */
  readonly address: string;
  /** An API key's secret, sent as `authorization: Bearer …` on every call. */
  readonly apiKey?: string;
  /** Deadline of one call, retries included. Default 5 s. */
  readonly deadlineMs?: number;
  /** Retries of reads on UNAVAILABLE; writes are never repeated. */
  readonly retry?: Partial<RetryPolicy>;
  /** Plaintext by default (the internal listener); pass TLS credentials for anything else. */
  readonly credentials?: ChannelCredentials;
}

/**
 * Which domain a link lives under: a configured domain's name (see
 * createDomain), e.g. "go.example.com". Unset means the default domain.
 */
export interface DomainInput {
  readonly domain?: string;
}

export interface CreateLinkInput extends DomainInput {
  readonly url: string;
  readonly code?: string;
  readonly redirectStatus?: 301 | 302 | 307 | 308;
  /** Seconds a browser may keep the redirect (0 to 31,536,000; unset: 0). */
  readonly cacheSeconds?: number;
  readonly expiresAt?: Date;
  /** Before this instant the link answers 404. */
  readonly validSince?: Date;
  /** Add the visitor's query parameters to the target's. */
  readonly forwardQuery?: boolean;
  /** At least 1: after this many human visits (bots, HEAD and prefetches never count) the link answers 410. */
  readonly maxVisits?: number;
  /** 4 to 128 characters: visitors give it in a form before they are redirected. Never returned. */
  readonly password?: string;
  /** Checked in order on each visit; the first whose conditions all hold gives the target. */
  readonly rules?: readonly RedirectRuleInput[];
  readonly title?: string;
  readonly tags?: readonly string[];
}

/** A redirect rule: every condition set must hold (at least one is needed). */
export interface RedirectRuleInput {
  readonly device?: "ios" | "android" | "mobile" | "desktop";
  /** ISO 3166-1 alpha-2, e.g. "DE". */
  readonly country?: string;
  /** A primary language subtag, e.g. "de" (matches "de-AT" too). */
  readonly language?: string;
  /** The visit's query has this parameter (with this value, when given). */
  readonly query?: { readonly name: string; readonly value?: string };
  readonly url: string;
}

/**
 * Only the fields present change; `tags: []` removes every tag, `rules: []` every rule,
 * `password: ""` the password, `clearExpiresAt`, `clearValidSince` and `clearMaxVisits`
 * the expiry, the start and the cap.
 * `domain` says which domain's code it is: a link never moves to another domain.
 */
export interface UpdateLinkInput extends DomainInput {
  readonly code: string;
  readonly url?: string;
  readonly redirectStatus?: 301 | 302 | 307 | 308;
  readonly cacheSeconds?: number;
  readonly expiresAt?: Date;
  readonly clearExpiresAt?: boolean;
  readonly validSince?: Date;
  readonly clearValidSince?: boolean;
  readonly forwardQuery?: boolean;
  readonly maxVisits?: number;
  readonly clearMaxVisits?: boolean;
  /** "" removes the password. */
  readonly password?: string;
  /** Replaces every rule; [] removes them. */
  readonly rules?: readonly RedirectRuleInput[];
  readonly disabled?: boolean;
  readonly title?: string;
  readonly tags?: readonly string[];
}

export interface PageInput {
  readonly pageSize?: number;
  readonly pageToken?: string;
}

/** `domain` keeps only the links of that domain; unset lists every domain's. A page token belongs to its filter. */
export interface ListLinksInput extends PageInput, DomainInput {
  /** Only links whose code, URL or title contains this text, in any case. */
  readonly query?: string;
  /** Only links carrying this tag. */
  readonly tag?: string;
}

export interface StatsInput extends DomainInput {
  readonly from?: Date;
  readonly to?: Date;
  readonly interval?: "hour" | "day";
}

export interface QrCodeInput extends DomainInput {
  /** Default "svg". */
  readonly format?: "svg" | "png";
  /** Width and height in pixels, 128 to 1,024; default 256. */
  readonly size?: number;
}

/** A QR code of a link's short URL: `contentType` is image/svg+xml or image/png. */
export interface QrCodeImage {
  readonly contentType: string;
  readonly data: Buffer;
}

/** `domain` is the code's domain; "" or a name that is no configured domain means the default domain. */
export interface ResolveInput extends DomainInput {
  /** False marks the lookup "no click" (like a HEAD): it is not counted in the link's stats. Default true. */
  readonly countClick?: boolean;
}

/** Per-call overrides. */
export interface CallInput {
  readonly deadlineMs?: number;
  readonly signal?: AbortSignal;
}

export interface CreateDomainInput {
  /** A host name such as "go.example.com": no scheme, port or path. */
  readonly domain: string;
  /** Where `GET /` on the domain redirects (an absolute http or https URL); unset answers 404. */
  readonly rootRedirect?: string;
  /** Where a code the domain does not know redirects, instead of the 404. */
  readonly notFoundRedirect?: string;
}

/** Only the redirects present change; "" removes one. */
export interface UpdateDomainInput {
  readonly domain: string;
  readonly rootRedirect?: string;
  readonly notFoundRedirect?: string;
}

export interface KurtClient {
  createLink(input: CreateLinkInput, call?: CallInput): Promise<Link>;
  /**
   * Creates up to 1,000 links in one call: one result per input, in order,
   * `{link}` or `{error: {code, message}}` (code is the gRPC status number).
   * Never retried, like every write.
   */
  batchCreateLinks(inputs: readonly CreateLinkInput[], call?: CallInput): Promise<BatchCreateLinksResponse>;
  getLink(code: string, options?: DomainInput & CallInput): Promise<Link>;
  listLinks(page?: ListLinksInput, call?: CallInput): Promise<ListLinksResponse>;
  updateLink(input: UpdateLinkInput, call?: CallInput): Promise<Link>;
  deleteLink(code: string, options?: DomainInput & CallInput): Promise<void>;
  getLinkQrCode(code: string, input?: QrCodeInput, call?: CallInput): Promise<QrCodeImage>;
  resolve(code: string, options?: ResolveInput & CallInput): Promise<ResolveResponse>;
  getLinkStats(code: string, input?: StatsInput, call?: CallInput): Promise<Stats>;
  createApiKey(input: { name: string; scopes: readonly string[] }, call?: CallInput): Promise<CreateApiKeyResponse>;
  listApiKeys(page?: PageInput, call?: CallInput): Promise<ListApiKeysResponse>;
  revokeApiKey(id: string, call?: CallInput): Promise<ApiKey>;
  /** Needs the admin scope, as every domain call does. ALREADY_EXISTS (`already_exists`) for a configured name. */
  createDomain(input: CreateDomainInput, call?: CallInput): Promise<Domain>;
  /** The default domain first, then the others by name. */
  listDomains(call?: CallInput): Promise<ListDomainsResponse>;
  updateDomain(input: UpdateDomainInput, call?: CallInput): Promise<Domain>;
  /** `conflict` while links live under the domain; the default domain cannot be deleted. Answers the deleted Domain. */
  deleteDomain(domain: string, call?: CallInput): Promise<Domain>;
  /** Closes the channels; pending calls fail. */
  close(): void;
}

function ruleMessage(rule: RedirectRuleInput): RedirectRule {
  return {
    device: rule.device,
    country: rule.country,
    language: rule.language,
    query: rule.query === undefined ? undefined : { name: rule.query.name, value: rule.query.value },
    url: rule.url,
  };
}

/** UpdateLink carries rules as a google.protobuf.ListValue (so that [] can clear them): plain objects. */
function ruleObject(rule: RedirectRuleInput): Record<string, unknown> {
  return JSON.parse(JSON.stringify(rule)) as Record<string, unknown>;
}

function createRequest(input: CreateLinkInput): CreateLinkRequest {
  return {
    url: input.url,
    code: input.code,
    domain: input.domain,
    redirectStatus: input.redirectStatus,
    cacheSeconds: input.cacheSeconds,
    expiresAt: input.expiresAt,
    validSince: input.validSince,
    forwardQuery: input.forwardQuery,
    maxVisits: input.maxVisits,
    password: input.password,
    rules: (input.rules ?? []).map(ruleMessage),
    title: input.title,
    tags: [...(input.tags ?? [])],
  };
}

type Unary<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Res) => void,
) => ClientUnaryCall;

export const DEFAULT_DEADLINE_MS = 5_000;

/**
 * A typed client for every Kurt RPC. Reads (get, list, resolve, stats, QR codes, listDomains) are
 * retried with backoff on UNAVAILABLE; creates, updates and deletes never
 * are, since the first attempt may have been applied. Every failure rejects
 * with a KurtError.
 */
export function createKurtClient(options: KurtClientOptions): KurtClient {
  const creds = options.credentials ?? credentials.createInsecure();
  const links = new LinkServiceClient(options.address, creds);
  // One channel for all five services: grpc-js shares it when given the same one.
  const channelOverride = { channelOverride: links.getChannel() };
  const domains = new DomainServiceClient(options.address, creds, channelOverride);
  const keys = new ApiKeyServiceClient(options.address, creds, channelOverride);
  const resolver = new ResolverServiceClient(options.address, creds, channelOverride);
  const stats = new StatsServiceClient(options.address, creds, channelOverride);
  const defaultDeadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };

  function once<Req, Res>(
    method: Unary<Req, Res>,
    request: Req,
    deadline: number,
    extra: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<Res> {
    const metadata = new Metadata();
    if (options.apiKey !== undefined) metadata.set(AUTHORIZATION_KEY, `Bearer ${options.apiKey}`);
    for (const [key, value] of Object.entries(extra)) metadata.set(key, value);
    return new Promise((resolve, reject) => {
      const call = method(request, metadata, { deadline }, (error, response) => {
        signal?.removeEventListener("abort", cancel);
        if (error) reject(error);
        else resolve(response);
      });
      function cancel() {
        call.cancel();
      }
      signal?.addEventListener("abort", cancel, { once: true });
    });
  }

  async function invoke<Req, Res>(
    method: Unary<Req, Res>,
    request: Req,
    {
      safeToRepeat,
      call,
      metadata = {},
    }: { safeToRepeat: boolean; call?: CallInput; metadata?: Record<string, string> },
  ): Promise<Res> {
    const deadline = Date.now() + (call?.deadlineMs ?? defaultDeadlineMs);
    const retryPolicy = safeToRepeat ? policy : { ...policy, maxAttempts: 1 };
    const unavailable = (error: unknown) => (error as Partial<ServiceError>).code === status.UNAVAILABLE;
    try {
      return await withRetries(retryPolicy, deadline, unavailable, (d) =>
        once(method, request, d, metadata, call?.signal),
      );
    } catch (error) {
      throw toKurtError(error);
    }
  }

  const write = { safeToRepeat: false } as const;
  const read = { safeToRepeat: true } as const;

  return {
    createLink: (input, call) => invoke(links.createLink.bind(links), createRequest(input), { ...write, call }),
    batchCreateLinks: (inputs, call) =>
      invoke(links.batchCreateLinks.bind(links), { links: inputs.map(createRequest) }, { ...write, call }),
    getLink: (code, options = {}) =>
      invoke(links.getLink.bind(links), { code, domain: options.domain }, { ...read, call: options }),
    listLinks: (page = {}, call) =>
      invoke(
        links.listLinks.bind(links),
        {
          pageSize: page.pageSize ?? 0,
          pageToken: page.pageToken ?? "",
          domain: page.domain,
          query: page.query,
          tag: page.tag,
        },
        { ...read, call },
      ),
    updateLink: (input, call) =>
      invoke(
        links.updateLink.bind(links),
        {
          code: input.code,
          domain: input.domain,
          url: input.url,
          redirectStatus: input.redirectStatus,
          cacheSeconds: input.cacheSeconds,
          expiresAt: input.expiresAt,
          clearExpiresAt: input.clearExpiresAt ?? false,
          validSince: input.validSince,
          clearValidSince: input.clearValidSince ?? false,
          forwardQuery: input.forwardQuery,
          maxVisits: input.maxVisits,
          clearMaxVisits: input.clearMaxVisits ?? false,
          password: input.password,
          rules: input.rules === undefined ? undefined : input.rules.map(ruleObject),
          disabled: input.disabled,
          title: input.title,
          tags: input.tags === undefined ? undefined : [...input.tags],
        },
        { ...write, call },
      ),
    deleteLink: async (code, options = {}) => {
      await invoke(links.deleteLink.bind(links), { code, domain: options.domain }, { ...write, call: options });
    },
    getLinkQrCode: async (code, input = {}, call) => {
      const body = await invoke(
        links.getLinkQrCode.bind(links),
        { code, format: input.format, size: input.size, domain: input.domain },
        { ...read, call },
      );
      return { contentType: body.contentType, data: body.data };
    },
    resolve: (code, options = {}) =>
      invoke(
        resolver.resolve.bind(resolver),
        { code, domain: options.domain },
        { ...read, call: options, metadata: options.countClick === false ? { [NO_CLICK_KEY]: "1" } : {} },
      ),
    getLinkStats: (code, input = {}, call) =>
      invoke(
        stats.getLinkStats.bind(stats),
        {
          code,
          domain: input.domain,
          from: input.from,
          to: input.to,
          interval:
            input.interval === "day"
              ? StatsInterval.DAY
              : input.interval === "hour"
                ? StatsInterval.HOUR
                : StatsInterval.STATS_INTERVAL_UNSPECIFIED,
        },
        { ...read, call },
      ),
    createApiKey: (input, call) =>
      invoke(keys.createApiKey.bind(keys), { name: input.name, scopes: [...input.scopes] }, { ...write, call }),
    listApiKeys: (page = {}, call) =>
      invoke(
        keys.listApiKeys.bind(keys),
        { pageSize: page.pageSize ?? 0, pageToken: page.pageToken ?? "" },
        { ...read, call },
      ),
    revokeApiKey: (id, call) => invoke(keys.revokeApiKey.bind(keys), { id }, { ...write, call }),
    createDomain: (input, call) =>
      invoke(
        domains.createDomain.bind(domains),
        { domain: input.domain, rootRedirect: input.rootRedirect, notFoundRedirect: input.notFoundRedirect },
        { ...write, call },
      ),
    listDomains: (call) => invoke(domains.listDomains.bind(domains), {}, { ...read, call }),
    updateDomain: (input, call) =>
      invoke(
        domains.updateDomain.bind(domains),
        { domain: input.domain, rootRedirect: input.rootRedirect, notFoundRedirect: input.notFoundRedirect },
        { ...write, call },
      ),
    deleteDomain: (domain, call) => invoke(domains.deleteDomain.bind(domains), { domain }, { ...write, call }),
    close: () => {
      links.close();
      keys.close();
      resolver.close();
      stats.close();
      domains.close();
    },
  };
}

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
  type CreateApiKeyResponse,
  type Link,
  LinkServiceClient,
  type ListApiKeysResponse,
  type ListLinksResponse,
  NO_CLICK_KEY,
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

export interface CreateLinkInput {
  readonly url: string;
  readonly code?: string;
  readonly redirectStatus?: 301 | 302 | 307 | 308;
  readonly expiresAt?: Date;
  readonly title?: string;
  readonly tags?: readonly string[];
}

/** Only the fields present change; `tags: []` removes every tag, `clearExpiresAt` the expiry. */
export interface UpdateLinkInput {
  readonly code: string;
  readonly url?: string;
  readonly redirectStatus?: 301 | 302 | 307 | 308;
  readonly expiresAt?: Date;
  readonly clearExpiresAt?: boolean;
  readonly disabled?: boolean;
  readonly title?: string;
  readonly tags?: readonly string[];
}

export interface PageInput {
  readonly pageSize?: number;
  readonly pageToken?: string;
}

export interface StatsInput {
  readonly from?: Date;
  readonly to?: Date;
  readonly interval?: "hour" | "day";
}

export interface QrCodeInput {
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

export interface ResolveInput {
  /** False marks the lookup "no click" (like a HEAD): it is not counted in the link's stats. Default true. */
  readonly countClick?: boolean;
}

/** Per-call overrides. */
export interface CallInput {
  readonly deadlineMs?: number;
  readonly signal?: AbortSignal;
}

export interface KurtClient {
  createLink(input: CreateLinkInput, call?: CallInput): Promise<Link>;
  getLink(code: string, call?: CallInput): Promise<Link>;
  listLinks(page?: PageInput, call?: CallInput): Promise<ListLinksResponse>;
  updateLink(input: UpdateLinkInput, call?: CallInput): Promise<Link>;
  deleteLink(code: string, call?: CallInput): Promise<void>;
  getLinkQrCode(code: string, input?: QrCodeInput, call?: CallInput): Promise<QrCodeImage>;
  resolve(code: string, options?: ResolveInput & CallInput): Promise<ResolveResponse>;
  getLinkStats(code: string, input?: StatsInput, call?: CallInput): Promise<Stats>;
  createApiKey(input: { name: string; scopes: readonly string[] }, call?: CallInput): Promise<CreateApiKeyResponse>;
  listApiKeys(page?: PageInput, call?: CallInput): Promise<ListApiKeysResponse>;
  revokeApiKey(id: string, call?: CallInput): Promise<ApiKey>;
  /** Closes the channels; pending calls fail. */
  close(): void;
}

type Unary<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Res) => void,
) => ClientUnaryCall;

export const DEFAULT_DEADLINE_MS = 5_000;

/**
 * A typed client for every Kurt RPC. Reads (get, list, resolve, stats) are
 * retried with backoff on UNAVAILABLE; creates, updates and deletes never
 * are, since the first attempt may have been applied. Every failure rejects
 * with a KurtError.
 */
export function createKurtClient(options: KurtClientOptions): KurtClient {
  const creds = options.credentials ?? credentials.createInsecure();
  const links = new LinkServiceClient(options.address, creds);
  // One channel for all four services: grpc-js shares it when given the same one.
  const channelOverride = { channelOverride: links.getChannel() };
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
    createLink: (input, call) =>
      invoke(
        links.createLink.bind(links),
        {
          url: input.url,
          code: input.code,
          redirectStatus: input.redirectStatus,
          expiresAt: input.expiresAt,
          title: input.title,
          tags: [...(input.tags ?? [])],
        },
        { ...write, call },
      ),
    getLink: (code, call) => invoke(links.getLink.bind(links), { code }, { ...read, call }),
    listLinks: (page = {}, call) =>
      invoke(
        links.listLinks.bind(links),
        { pageSize: page.pageSize ?? 0, pageToken: page.pageToken ?? "" },
        { ...read, call },
      ),
    updateLink: (input, call) =>
      invoke(
        links.updateLink.bind(links),
        {
          code: input.code,
          url: input.url,
          redirectStatus: input.redirectStatus,
          expiresAt: input.expiresAt,
          clearExpiresAt: input.clearExpiresAt ?? false,
          disabled: input.disabled,
          title: input.title,
          tags: input.tags === undefined ? undefined : [...input.tags],
        },
        { ...write, call },
      ),
    deleteLink: async (code, call) => {
      await invoke(links.deleteLink.bind(links), { code }, { ...write, call });
    },
    getLinkQrCode: async (code, input = {}, call) => {
      const body = await invoke(
        links.getLinkQrCode.bind(links),
        { code, format: input.format, size: input.size },
        { ...read, call },
      );
      return { contentType: body.contentType, data: body.data };
    },
    resolve: (code, options = {}) =>
      invoke(
        resolver.resolve.bind(resolver),
        { code },
        { ...read, call: options, metadata: options.countClick === false ? { [NO_CLICK_KEY]: "1" } : {} },
      ),
    getLinkStats: (code, input = {}, call) =>
      invoke(
        stats.getLinkStats.bind(stats),
        {
          code,
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
    close: () => {
      links.close();
      keys.close();
      resolver.close();
      stats.close();
    },
  };
}

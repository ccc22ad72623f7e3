import {
  type BatchCreateLinkResult,
  type BatchCreateLinksRequest,
  type BatchCreateLinksResponse,
  type CreateLinkRequest,
  type DeleteLinkRequest,
  type DeleteLinkResponse,
  type GetLinkQrCodeRequest,
  type GetLinkRequest,
  type HttpBody,
  type Link as LinkMessage,
  type LinkServiceServer,
  LinkServiceService,
  type ListLinksRequest,
  type ListLinksResponse,
  type UpdateLinkRequest,
} from "@kurt/contract";
import { type Logger, toServiceError, unary, withCheckedTimestamps } from "@kurt/platform";
import { alreadyExists, invalidArgument } from "@kurt/platform/errors";
import type { CreateLinkInput, LinkService } from "../domain/link-service.js";
import { createLinkQrCodes, QR_CACHE_CONTROL, type QrCodeRenderer } from "../domain/qr-code.js";
import { toLinkMessage } from "../messages/link-message.js";
import type { Authorize } from "./authorize.js";

/**
 * kurt.v1.LinkService as served: the expires_at Timestamp (field 4 of both
 * requests) is checked as sent, so that one no Date can hold reaches the
 * domain as an UnreadableTimestamp and is refused with INVALID_ARGUMENT
 * before anything is written, instead of failing the decoding (INTERNAL).
 */
export const LINK_SERVICE_DEFINITION = withCheckedTimestamps(LinkServiceService, {
  createLink: { 4: "expiresAt", 9: "validSince" },
  updateLink: { 4: "expiresAt", 11: "validSince" },
});

/** The most links one BatchCreateLinks call takes (DESIGN.md §2). */
export const MAX_BATCH_LINKS = 1_000;

function createInput(request: CreateLinkRequest): CreateLinkInput {
  return {
    url: request.url,
    code: request.code,
    domain: request.domain,
    redirectStatus: request.redirectStatus,
    cacheSeconds: request.cacheSeconds,
    expiresAt: request.expiresAt,
    validSince: request.validSince,
    forwardQuery: request.forwardQuery,
    maxVisits: request.maxVisits,
    password: request.password,
    rules: request.rules,
    title: request.title,
    tags: request.tags,
  };
}

/** kurt.v1.LinkService: each handler checks the key's scope, calls the domain and shapes the answer. */
export function createLinkServiceHandlers(deps: {
  readonly links: LinkService;
  readonly authorize: Authorize;
  readonly publicUrl: string;
  readonly qrRenderer: QrCodeRenderer;
  readonly logger: Logger;
}): LinkServiceServer {
  const { links, authorize, publicUrl, logger } = deps;
  const message = (link: Parameters<typeof toLinkMessage>[0]) => toLinkMessage(link, publicUrl);
  const qrCodes = createLinkQrCodes({ getLink: (ref) => links.getLink(ref), renderer: deps.qrRenderer, publicUrl });

  return {
    createLink: unary<CreateLinkRequest, LinkMessage>(logger, async (request, context) => {
      const key = await authorize.write(context, "links:write");
      const link = await links.createLink(createInput(request), { keyId: key.id, requestId: context.requestId });
      context.logger.info("link created", {
        code: link.code,
        domain: link.domain,
        apiKeyId: key.id,
        custom: request.code !== undefined,
      });
      return message(link);
    }),

    batchCreateLinks: unary<BatchCreateLinksRequest, BatchCreateLinksResponse>(logger, async (request, context) => {
      // One call, one token of the key's write budget, however many items it carries (ADR 30).
      const key = await authorize.write(context, "links:write");
      if (request.links.length === 0) throw invalidArgument("links", "must hold at least 1 link");
      if (request.links.length > MAX_BATCH_LINKS)
        throw invalidArgument("links", `must hold at most ${MAX_BATCH_LINKS} links, got ${request.links.length}`);
      const caller = { keyId: key.id, requestId: context.requestId };
      // The same custom code twice in one batch: the first item gets it, as if the items were sent one by one.
      const firstWith = new Map<string, number>();
      const repeatOf = request.links.map((item, index) => {
        if (item.code === undefined) return undefined;
        const key = `${(item.domain ?? "").toLowerCase()}/${item.code}`;
        const first = firstWith.get(key);
        if (first === undefined) firstWith.set(key, index);
        return first;
      });
      // Concurrent creates share the store's insert batches: a batch costs a few transactions, not one per item.
      const results = await Promise.all(
        request.links.map(
          (item, index): Promise<BatchCreateLinkResult> =>
            (repeatOf[index] === undefined
              ? links.createLink(createInput(item), caller)
              : Promise.reject(
                  alreadyExists("code", `"${item.code}" is already taken by links[${repeatOf[index]}] of this batch`),
                )
            ).then(
              (link) => ({ link: message(link), error: undefined }),
              (error: unknown) => {
                const { serviceError, internal } = toServiceError(error);
                if (internal) context.logger.error("batch item failed", { error });
                return {
                  link: undefined,
                  error: { code: serviceError.code ?? 2, message: serviceError.details ?? "" },
                };
              },
            ),
        ),
      );
      const created = results.filter((result) => result.link !== undefined).length;
      context.logger.info("links created", { count: created, refused: results.length - created, apiKeyId: key.id });
      return { results };
    }),

    getLink: unary<GetLinkRequest, LinkMessage>(logger, async (request, context) => {
      await authorize.read(context, "links:read");
      return message(await links.getLink({ code: request.code, domain: request.domain }));
    }),

    listLinks: unary<ListLinksRequest, ListLinksResponse>(logger, async (request, context) => {
      await authorize.read(context, "links:read");
      const page = await links.listLinks({
        pageSize: request.pageSize,
        pageToken: request.pageToken,
        domain: request.domain,
        query: request.query,
        tag: request.tag,
      });
      return { links: page.links.map(message), nextPageToken: page.nextPageToken };
    }),

    updateLink: unary<UpdateLinkRequest, LinkMessage>(logger, async (request, context) => {
      const key = await authorize.write(context, "links:write");
      const link = await links.updateLink(
        {
          code: request.code,
          domain: request.domain,
          url: request.url,
          redirectStatus: request.redirectStatus,
          cacheSeconds: request.cacheSeconds,
          expiresAt: request.expiresAt,
          clearExpiresAt: request.clearExpiresAt,
          validSince: request.validSince,
          clearValidSince: request.clearValidSince,
          forwardQuery: request.forwardQuery,
          maxVisits: request.maxVisits,
          clearMaxVisits: request.clearMaxVisits,
          password: request.password,
          rules: request.rules,
          disabled: request.disabled,
          title: request.title,
          tags: request.tags,
        },
        { keyId: key.id, requestId: context.requestId },
      );
      context.logger.info("link updated", { code: link.code, domain: link.domain, apiKeyId: key.id });
      return message(link);
    }),

    deleteLink: unary<DeleteLinkRequest, DeleteLinkResponse>(logger, async (request, context) => {
      const key = await authorize.write(context, "links:write");
      await links.deleteLink(
        { code: request.code, domain: request.domain },
        { keyId: key.id, requestId: context.requestId },
      );
      context.logger.info("link deleted", { code: request.code, domain: request.domain, apiKeyId: key.id });
      return {};
    }),

    getLinkQrCode: unary<GetLinkQrCodeRequest, HttpBody>(logger, async (request, context) => {
      await authorize.read(context, "links:read");
      const image = await qrCodes.qrCode({
        code: request.code,
        domain: request.domain,
        format: request.format,
        size: request.size,
      });
      // Envoy's transcoder turns response metadata into HTTP headers.
      context.setResponseHeader("cache-control", QR_CACHE_CONTROL);
      return { contentType: image.contentType, data: image.data, extensions: [] };
    }),
  };
}

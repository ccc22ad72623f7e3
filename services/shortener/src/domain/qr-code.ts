import { invalidArgument } from "@kurt/platform/errors";
import type { Link } from "./link.js";
import { shortUrl } from "./short-url.js";

export const QR_FORMATS = ["svg", "png"] as const;
export type QrFormat = (typeof QR_FORMATS)[number];

/**
 * Pixels of width and height. Below 128 a short URL's symbol gets less than
 * 3 pixels per module and decoders start to miss it; 1,024 is plenty for
 * print and bounds the work of one call: a PNG of 1,024 pixels takes ~0.15 s
 * of the event loop, one of 2,048 about 0.6 s (docs/adr/0025-qr-codes.md).
 */
export const QR_SIZE = { min: 128, max: 1024, default: 256 } as const;

const CONTENT_TYPES: Readonly<Record<QrFormat, string>> = { svg: "image/svg+xml", png: "image/png" };

/**
 * A QR code of a link never changes while the installation's public URL
 * stays the same, so a browser may keep it a day; `private`, because the
 * call needs an API key and no shared cache should hold the answer.
 */
export const QR_CACHE_CONTROL = "private, max-age=86400";

export interface QrImage {
  readonly contentType: string;
  readonly data: Buffer;
}

/** What draws the image (the `qrcode` library's adapter); the domain only decides what and how big. */
export interface QrCodeRenderer {
  render(text: string, format: QrFormat, size: number): Promise<Buffer>;
}

export interface QrCodeRequest {
  readonly code: string;
  /** Unset: the default domain. */
  readonly domain?: string | undefined;
  /** Absent means svg. */
  readonly format?: string | undefined;
  /** Absent means the default size. */
  readonly size?: number | undefined;
}

export interface LinkQrCodes {
  /** INVALID_ARGUMENT naming `format` or `size` before any lookup; NOT_FOUND as GetLink. */
  qrCode(request: QrCodeRequest): Promise<QrImage>;
}

export function validateQrFormat(format: string | undefined): QrFormat {
  if (format === undefined) return "svg";
  const known = QR_FORMATS.find((name) => name === format);
  if (known === undefined)
    throw invalidArgument("format", `must be ${QR_FORMATS.join(" or ")}, got ${JSON.stringify(format)}`);
  return known;
}

export function validateQrSize(size: number | undefined): number {
  if (size === undefined) return QR_SIZE.default;
  if (!Number.isInteger(size) || size < QR_SIZE.min || size > QR_SIZE.max)
    throw invalidArgument(
      "size",
      `must be ${QR_SIZE.min} to ${QR_SIZE.max} pixels (absent means ${QR_SIZE.default}), got ${size}`,
    );
  return size;
}

export function createLinkQrCodes(deps: {
  /** GetLink's lookup: a deleted or unknown code is NOT_FOUND. */
  readonly getLink: (ref: { code: string; domain?: string | undefined }) => Promise<Link>;
  readonly renderer: QrCodeRenderer;
  readonly publicUrl: string;
}): LinkQrCodes {
  return {
    async qrCode(request) {
      const format = validateQrFormat(request.format);
      const size = validateQrSize(request.size);
      const link = await deps.getLink({ code: request.code, domain: request.domain });
      const data = await deps.renderer.render(shortUrl(deps.publicUrl, link.code, link.domain), format, size);
      return { contentType: CONTENT_TYPES[format], data };
    },
  };
}

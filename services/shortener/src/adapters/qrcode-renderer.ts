import QRCode from "qrcode";
import type { QrCodeRenderer } from "../domain/qr-code.js";

/**
 * Error correction M (about 15 % of the symbol may be lost): a short URL
 * stays a small symbol, and a printed code survives some wear. The quiet zone
 * is the 4 modules the standard asks for. See docs/adr/0025-qr-codes.md.
 */
const OPTIONS = { errorCorrectionLevel: "M", margin: 4 } as const;

/** QR codes drawn by the npm `qrcode` library (pure JavaScript, offline): SVG as text, PNG through pngjs. */
export function createQrCodeRenderer(): QrCodeRenderer {
  return {
    async render(text, format, size) {
      if (format === "svg") return Buffer.from(await QRCode.toString(text, { ...OPTIONS, type: "svg", width: size }));
      return QRCode.toBuffer(text, { ...OPTIONS, type: "png", width: size });
    },
  };
}

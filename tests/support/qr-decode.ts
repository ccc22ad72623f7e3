import jsqrModule from "jsqr";
import { PNG } from "pngjs";

// jsqr is CommonJS whose types declare an ES default export, so NodeNext
// types the default import as the module object; at run time it is the decoder.
const jsQR = jsqrModule as unknown as typeof jsqrModule.default;

/** A PNG's size and the text of the QR code in it (undefined when no code is found). */
export function decodeQrPng(png: Buffer): { width: number; height: number; text: string | undefined } {
  const image = PNG.sync.read(png);
  const found = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
  return { width: image.width, height: image.height, text: found?.data };
}

import jsqrModule from "jsqr";
import { PNG } from "pngjs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createQrCodeRenderer } from "./qrcode-renderer.js";

// jsqr is CommonJS whose types declare an ES default export, so NodeNext
// types the default import as the module object; at run time it is the decoder.
const jsQR = jsqrModule as unknown as typeof jsqrModule.default;
const renderer = createQrCodeRenderer();
const SHORT_URL = "https://kurt.example/AbC1234";

test("a PNG is the size asked for and decodes back to the text", async () => {
  for (const size of [128, 256, 1024]) {
    const png = PNG.sync.read(await renderer.render(SHORT_URL, "png", size));
    assert.is(png.width, size);
    assert.is(png.height, size);
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    assert.is(decoded?.data, SHORT_URL, `size ${size}`);
  }
});

test("an SVG is one <svg> element whose width and height are the size asked for", async () => {
  const svg = (await renderer.render(SHORT_URL, "svg", 300)).toString("utf8");
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="300" height="300" viewBox="0 0 \d+ \d+"/);
  assert.match(svg, /<\/svg>\s*$/);
});

test.run();

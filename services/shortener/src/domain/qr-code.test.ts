import { KurtError, notFound } from "@kurt/platform/errors";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { sampleLink } from "../test-support/sample-link.js";
import { createLinkQrCodes, QR_SIZE, type QrFormat, validateQrFormat, validateQrSize } from "./qr-code.js";

const LINK = sampleLink("AbC1234", {}, new Date("2026-12-05T00:00:00Z"));

function qrCodes() {
  const drawn: [string, QrFormat, number][] = [];
  const looked: string[] = [];
  const codes = createLinkQrCodes({
    getLink: async ({ code }) => {
      looked.push(code);
      if (code !== LINK.code) throw notFound(`link "${code}"`);
      return LINK;
    },
    renderer: {
      async render(text, format, size) {
        drawn.push([text, format, size]);
        return Buffer.from("image");
      },
    },
    publicUrl: "https://kurt.example/",
  });
  return { codes, drawn, looked };
}

test("format is svg when absent, else svg or png exactly; anything else is INVALID_ARGUMENT naming format", () => {
  assert.is(validateQrFormat(undefined), "svg");
  assert.is(validateQrFormat("svg"), "svg");
  assert.is(validateQrFormat("png"), "png");
  for (const format of ["", "gif", "PNG", "svg ", "jpeg"])
    assert.throws(
      () => validateQrFormat(format),
      (error: unknown) =>
        error instanceof KurtError &&
        error.code === "invalid_argument" &&
        error.field === "format" &&
        error.message === `format: must be svg or png, got ${JSON.stringify(format)}`,
    );
});

test("size is 256 when absent, else a whole number of pixels from 128 to 1024; anything else is INVALID_ARGUMENT naming size", () => {
  assert.is(validateQrSize(undefined), QR_SIZE.default);
  assert.is(QR_SIZE.default, 256);
  for (const size of [128, 129, 256, 1023, 1024]) assert.is(validateQrSize(size), size);
  for (const size of [0, -1, 64, 127, 1025, 99_999, 2 ** 31 - 1, 1.5, Number.NaN])
    assert.throws(
      () => validateQrSize(size),
      (error: unknown) =>
        error instanceof KurtError &&
        error.code === "invalid_argument" &&
        error.field === "size" &&
        /^size: must be 128 to 1024 pixels \(absent means 256\), got /.test(error.message),
    );
});

test("a QR code encodes the link's short URL, with the format's content type and the size asked for", async () => {
  const { codes, drawn } = qrCodes();
  const svg = await codes.qrCode({ code: LINK.code });
  assert.is(svg.contentType, "image/svg+xml");
  assert.is(svg.data.toString(), "image");
  const png = await codes.qrCode({ code: LINK.code, format: "png", size: 512 });
  assert.is(png.contentType, "image/png");
  assert.equal(drawn, [
    ["https://kurt.example/AbC1234", "svg", 256],
    ["https://kurt.example/AbC1234", "png", 512],
  ]);
});

test("bad format or size is refused before the code is looked up; an unknown code is NOT_FOUND and draws nothing", async () => {
  const { codes, drawn, looked } = qrCodes();
  assert.match(String(await rejection(codes.qrCode({ code: "nope123", format: "gif" }))), /format: must be/);
  assert.match(String(await rejection(codes.qrCode({ code: "nope123", size: 0 }))), /size: must be/);
  assert.equal(looked, []);
  const unknown = await rejection(codes.qrCode({ code: "nope123" }));
  assert.ok(unknown instanceof KurtError && unknown.code === "not_found", String(unknown));
  assert.equal(drawn, []);
});

/** The error a promise rejects with (uvu's assert has no `rejects`). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

test.run();

import type { IncomingMessage } from "node:http";
import { KurtError } from "@kurt/platform/errors";

/** A password form's body is one short field; anything larger is not a form of ours. */
export const MAX_FORM_BYTES = 4_096;

/**
 * The fields of an `application/x-www-form-urlencoded` body of at most
 * MAX_FORM_BYTES (Envoy's route caps it too). Another content type, or a
 * larger body, is refused as invalid input (400) naming what was wrong.
 */
export async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const type = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") {
    request.resume();
    throw new KurtError(
      "invalid_argument",
      `must be application/x-www-form-urlencoded (the password form), got ${JSON.stringify(type ?? "")}`,
      "content-type",
    );
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) {
      request.resume();
      throw new KurtError("invalid_argument", `the form is larger than ${MAX_FORM_BYTES} bytes`, "body");
    }
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

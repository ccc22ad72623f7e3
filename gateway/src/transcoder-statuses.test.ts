import { readdirSync, readFileSync } from "node:fs";
import { ERROR_CODES, ERROR_STATUS, type ErrorCode, type GrpcCode } from "@kurt/core/error-status";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { GRPC_SERVICE_CLUSTERS } from "./gateway-routes.js";

/**
 * The HTTP status Envoy's gRPC-JSON transcoder gives a service's error
 * (Envoy's Grpc::Utility::grpcToHttpStatus, google.rpc.Code's mapping). It
 * cannot be configured, so DESIGN.md §2's table must agree with it for every
 * error a transcoded call can raise.
 */
const ENVOY_TRANSCODER_HTTP_STATUS: Readonly<Record<GrpcCode, number>> = {
  0: 200,
  1: 499,
  2: 500,
  3: 400,
  4: 504,
  5: 404,
  6: 409,
  7: 403,
  8: 429,
  9: 400,
  10: 409,
  11: 400,
  12: 501,
  13: 500,
  14: 503,
  15: 500,
  16: 401,
};

/**
 * Where Envoy's map and Kurt's differ (FAILED_PRECONDITION: 400 against 410).
 * Only the resolver raises "gone", and its REST face is the redirect, which
 * its own HTTP listener answers from the same table (docs/adr/0022).
 */
const ONLY_ON_THE_REDIRECT_PATH: readonly ErrorCode[] = ["gone"];

test("every error a transcoded call can raise reaches REST clients with DESIGN.md §2's HTTP status", () => {
  for (const code of ERROR_CODES) {
    if (ONLY_ON_THE_REDIRECT_PATH.includes(code)) continue;
    const { grpc, http } = ERROR_STATUS[code];
    assert.is(ENVOY_TRANSCODER_HTTP_STATUS[grpc], http, code);
  }
  assert.is(ENVOY_TRANSCODER_HTTP_STATUS[ERROR_STATUS.gone.grpc], 400, "Envoy would answer a gone link 400");
});

function sourcesOf(folder: URL): string[] {
  return readdirSync(folder, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
    .map((file) => readFileSync(new URL(file, folder), "utf8"));
}

test("no transcoded service raises an error that only the redirect path may answer", () => {
  const clusters = new Set(GRPC_SERVICE_CLUSTERS.filter((s) => s.transcoded).map((s) => s.cluster));
  assert.equal([...clusters].sort(), ["clicklog", "shortener"]);
  for (const cluster of clusters) {
    const sources = sourcesOf(new URL(`../../services/${cluster}/src/`, import.meta.url));
    assert.ok(sources.length > 10, `the ${cluster}'s sources were read`);
    for (const code of ONLY_ON_THE_REDIRECT_PATH) {
      const raising = sources.filter((text) => text.includes(`"${code}"`) || new RegExp(`\\b${code}\\(`).test(text));
      assert.is(raising.length, 0, `the ${cluster} raises "${code}", which REST would answer 400`);
    }
  }
});

test.run();

import { Metadata, type ServerUnaryCall, type sendUnaryData } from "@grpc/grpc-js";
import { REQUEST_ID_KEY } from "@kurt/core/headers";
import { toServiceError } from "./grpc-errors.js";
import type { Logger } from "./logger.js";

export interface CallContext {
  /** Envoy's x-request-id, when the call came through the gateway. */
  readonly requestId: string | undefined;
  /** First value of a request metadata key, as a string. */
  header(name: string): string | undefined;
  readonly logger: Logger;
  /** Response headers (initial metadata), sent with the answer. */
  setResponseHeader(name: string, value: string): void;
}

/**
 * Adapts an async function to a grpc-js unary handler: it gives the function
 * the call's context, sends its answer or maps its error, and logs internal
 * failures with their cause and the request id.
 */
export function unary<Req, Res>(
  logger: Logger,
  handler: (request: Req, context: CallContext) => Promise<Res>,
): (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => void {
  return (call, callback) => {
    const header = (name: string) => {
      const value = call.metadata.get(name)[0];
      return value === undefined ? undefined : value.toString();
    };
    const requestId = header(REQUEST_ID_KEY);
    const responseHeaders = new Metadata();
    let hasHeaders = false;
    // Built on first use: most calls (every redirect) never log.
    let callLogger: Logger | undefined;
    const context: CallContext = {
      requestId,
      header,
      get logger() {
        callLogger ??= requestId === undefined ? logger : logger.child({ requestId });
        return callLogger;
      },
      setResponseHeader(name, value) {
        responseHeaders.set(name, value);
        hasHeaders = true;
      },
    };
    handler(call.request, context).then(
      (response) => {
        if (hasHeaders) call.sendMetadata(responseHeaders);
        callback(null, response);
      },
      (error: unknown) => {
        const { serviceError, internal } = toServiceError(error);
        if (internal) context.logger.error("unexpected error", { method: call.getPath(), error });
        callback(serviceError);
      },
    );
  };
}

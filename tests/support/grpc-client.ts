import { type CallOptions, type ClientUnaryCall, credentials, Metadata, type ServiceError } from "@grpc/grpc-js";
import {
  ApiKeyServiceClient,
  AUTHORIZATION_KEY,
  LinkServiceClient,
  ResolverServiceClient,
  StatsServiceClient,
} from "@kurt/contract";
import { topology } from "./stack.js";

/** Envoy's internal gRPC listener: the same balancing, health checks and retries as the public one. */
export const internalGrpcAddress = `${topology.host}:${topology.envoy.grpcPort}`;

export function linkClient(address = internalGrpcAddress): LinkServiceClient {
  return new LinkServiceClient(address, credentials.createInsecure());
}

export function apiKeyClient(address = internalGrpcAddress): ApiKeyServiceClient {
  return new ApiKeyServiceClient(address, credentials.createInsecure());
}

export function statsClient(address = internalGrpcAddress): StatsServiceClient {
  return new StatsServiceClient(address, credentials.createInsecure());
}

/** A resolver through Envoy, or one replica directly at its own port. */
export function resolverClient(address = internalGrpcAddress): ResolverServiceClient {
  return new ResolverServiceClient(address, credentials.createInsecure());
}

type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Res) => void,
) => ClientUnaryCall;

export interface CallAnswer<Res> {
  readonly response: Res;
  /** The server's initial metadata (e.g. `location` on Resolve). */
  readonly headers: Metadata;
}

/**
 * One unary call with an API key (if any) and extra metadata, with its
 * response headers. Pass the method bound to its client.
 */
export function callWithHeaders<Req, Res>(
  method: UnaryMethod<Req, Res>,
  request: Req,
  {
    key,
    metadata = {},
    timeoutMs = 10_000,
  }: { key?: string; metadata?: Record<string, string>; timeoutMs?: number } = {},
): Promise<CallAnswer<Res>> {
  const md = new Metadata();
  if (key !== undefined) md.set(AUTHORIZATION_KEY, `Bearer ${key}`);
  for (const [name, value] of Object.entries(metadata)) md.set(name, value);
  return new Promise((resolve, reject) => {
    let headers = new Metadata();
    const call = method(request, md, { deadline: Date.now() + timeoutMs }, (error, response) => {
      if (error) reject(error);
      else resolve({ response, headers });
    });
    call.on("metadata", (received: Metadata) => {
      headers = received;
    });
  });
}

export async function call<Req, Res>(
  method: UnaryMethod<Req, Res>,
  request: Req,
  options: { key?: string; metadata?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Res> {
  return (await callWithHeaders(method, request, options)).response;
}

/** The error a call failed with; throws if it succeeded. */
export async function callError<Req, Res>(
  method: UnaryMethod<Req, Res>,
  request: Req,
  options: { key?: string; metadata?: Record<string, string> } = {},
): Promise<ServiceError> {
  try {
    const response = await call(method, request, options);
    throw Object.assign(new Error(`expected the call to fail, got ${JSON.stringify(response)}`), { unexpected: true });
  } catch (error) {
    if ((error as { unexpected?: boolean }).unexpected) throw error;
    return error as ServiceError;
  }
}

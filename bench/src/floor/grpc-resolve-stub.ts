/**
 * The gRPC floor's upstream, run as a process of its own by floor-stubs.ts:
 * kurt.v1.ResolverService/Resolve answering every code with one fixed 302,
 * sent the way services/resolver/src/grpc/resolver-service.ts sends a
 * redirect (`location` and the redirect-status hint as initial metadata, the
 * redirect in the message too), and grpc.health.v1 for Envoy's checks.
 * Nothing else: no lookup, no click, no interceptor, no metrics. It is the
 * least any resolver must do behind Envoy's transcoder.
 *
 * Arguments: HOST PORT LOCATION.
 */
import { Metadata, Server, ServerCredentials } from "@grpc/grpc-js";
import {
  LOCATION_KEY,
  LookupLayer,
  REDIRECT_STATUS_KEY,
  ResolveResponse,
  type ResolverServiceServer,
  ResolverServiceService,
} from "@kurt/contract";
import { addHealthService } from "@kurt/platform";
import { announceReady, stubArguments } from "./stub-process.js";

const REDIRECT_STATUS = 302;

const { host, port, location } = stubArguments();
const response = ResolveResponse.fromPartial({
  url: location,
  redirectStatus: REDIRECT_STATUS,
  servedBy: LookupLayer.LOOKUP_LAYER_MEMORY,
});

const resolver: ResolverServiceServer = {
  resolve(call, callback) {
    const headers = new Metadata();
    headers.set(LOCATION_KEY, location);
    headers.set(REDIRECT_STATUS_KEY, String(REDIRECT_STATUS));
    call.sendMetadata(headers);
    callback(null, response);
  },
};

// The same server option as Kurt's services (packages/platform/src/grpc-server.ts).
const server = new Server({ "grpc.keepalive_permit_without_calls": 1 });
const setServing = addHealthService(server, ["kurt.v1.ResolverService"]);
server.addService(ResolverServiceService, resolver);
const bound = await new Promise<number>((resolve, reject) =>
  server.bindAsync(`${host}:${port}`, ServerCredentials.createInsecure(), (error, bound) =>
    error ? reject(error) : resolve(bound),
  ),
);
setServing(true);
announceReady(bound);

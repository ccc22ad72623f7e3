/**
 * The HTTP floor's upstream, run as a process of its own by floor-stubs.ts:
 * node:http answering every request with `302 Location: <fixed url>` and an
 * empty body. It is the least a resolver would do in a design where Envoy
 * simply proxies HTTP to it.
 *
 * Arguments: HOST PORT LOCATION.
 */
import { createServer } from "node:http";
import { announceReady, stubArguments } from "./stub-process.js";

const { host, port, location } = stubArguments();

const server = createServer((_request, response) => {
  response.writeHead(302, { location, "content-length": "0" });
  response.end();
});
// Envoy keeps its upstream connections open; Node's default would close them
// after 5 s idle, and a request Envoy sends on one just as it closes fails.
server.keepAliveTimeout = 0;
server.listen(port, host, () => {
  const address = server.address();
  announceReady(typeof address === "object" && address !== null ? address.port : port);
});

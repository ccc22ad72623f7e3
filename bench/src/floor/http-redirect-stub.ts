/**
 * The HTTP floor's upstream, run as a process of its own by floor-stubs.ts:
 * the resolver's own HTTP server (startHttpServer of @kurt/platform: keep-alive
 * longer than Envoy's idle timeout, the health path Envoy's checks ask) with a
 * handler that answers every request as the resolver answers a redirect,
 * `302 Location: <fixed url>`, `Cache-Control: private, no-store` and an empty
 * body. Nothing else: no lookup, no click, no metrics, no log. It is the least
 * any resolver must do behind Envoy's plain proxy (docs/adr/0014).
 *
 * Arguments: HOST PORT LOCATION.
 */
import { startHttpServer } from "@kurt/platform";
import { announceReady, stubArguments } from "./stub-process.js";

const { host, port, location } = stubArguments();

const server = await startHttpServer({
  host,
  port,
  handler(_request, response) {
    response.writeHead(302, { location, "cache-control": "private, no-store", "content-length": 0 });
    response.end();
  },
});
server.setServing(true);
announceReady(server.port);

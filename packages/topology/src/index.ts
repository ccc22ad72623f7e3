export type { PostgresMember, ServiceName, ServiceTopology, Topology } from "./topology.js";
export { allPorts, HTTP_HEALTH_PATH, loadTopology, redisBusPort, SERVICE_NAMES } from "./topology.js";

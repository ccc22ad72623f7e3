export type { ServiceName, ServiceTopology, Topology } from "./topology.js";
export { allPorts, loadTopology, redisBusPort, SERVICE_NAMES } from "./topology.js";

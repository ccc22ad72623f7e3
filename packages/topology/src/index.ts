export type { ServiceName, ServiceTopology, Topology } from "./topology.js";
export { loadTopology, redisBusPort, SERVICE_NAMES } from "./topology.js";

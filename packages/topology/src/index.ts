export type { ServiceName, ServiceTopology, Topology } from "./topology.js";
export { loadTopology, SERVICE_NAMES } from "./topology.js";

export { brokerKill, type BrokerKillOptions } from './broker.js';
export { serviceChaos, type ServiceChaosOptions } from './chaos.js';
export { replicationOf, type TopicReplication } from './cluster.js';
export { faultLength, faultSeed, stockScaleFor, type FaultLength } from './plan.js';
export { failuresOf, formatReport } from './report.js';
export { runFaultLoad, type FaultContext, type FaultReport, type FaultRunOptions } from './run.js';
export { serviceFreeze, type ServiceFreezeOptions } from './freeze.js';

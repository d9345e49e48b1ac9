export * from './admin.js';
export * from './wait-for-kafka.js';
export type * from './types.js';
export * from './reset-plan.js';
export * from './replication.js';

export * from './producer.js';
export type * from './types.js';
export * from './renewing.js';

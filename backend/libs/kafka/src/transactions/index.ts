export * from './producer.js';
export type * from './types.js';

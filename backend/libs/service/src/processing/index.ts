export * from './order-processor.js';
export * from './background-start.js';
export * from './keyed-lock.js';
export type * from './types.js';
export * from './single-active.js';

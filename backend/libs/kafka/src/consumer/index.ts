export * from './consumer.js';
export type * from './types.js';

export * from './tail.js';
export * from './store.js';
export type * from './types.js';

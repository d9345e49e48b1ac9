export * from './assignor.js';
export * from './lease.js';

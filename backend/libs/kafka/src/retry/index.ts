export * from './backoff.js';
export * from './policy.js';
export * from './worker.js';

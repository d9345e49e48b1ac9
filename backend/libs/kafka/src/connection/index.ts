export * from './security.js';
export * from './client-options.js';

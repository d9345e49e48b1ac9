export * from './headers.js';
export * from './record.js';

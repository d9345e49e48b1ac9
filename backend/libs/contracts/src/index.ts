export * from './envelope.js';
export * from './events/index.js';
export * from './topics.js';
export * from './headers.js';
export * from './create.js';
export * from './parse.js';
export * from './catalog.js';
export * from './ids.js';

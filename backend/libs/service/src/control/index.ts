export * from './group-pauses.js';
export * from './pausable-consumers.js';

export * from './group-pauses.js';
export * from './pausable-consumers.js';
export * from './fault-switches.js';

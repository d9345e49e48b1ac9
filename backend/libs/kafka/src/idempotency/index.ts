export * from './guard.js';

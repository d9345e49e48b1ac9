export * from './tail.js';
export * from './store.js';
export * from './count.js';
export { TopicReader, type PartitionRef, type ReaderOptions } from './reader.js';
export type * from './types.js';

export * from './tail.js';
export * from './store.js';
export { TopicReader, type PartitionRef, type ReaderOptions } from './reader.js';
export type * from './types.js';

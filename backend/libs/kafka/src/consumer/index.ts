export * from './consumer.js';
export type * from './types.js';
export { BatchOutput, writeBatch, type WriteBatchOptions } from './batch.js';

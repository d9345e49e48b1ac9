// The Kafka library's connection settings, from its sources: the test setups load this folder
// in a process where workspace packages resolve to their builds, which may not exist yet.
export * from '../../backend/libs/kafka/src/connection/index.js';
export { isAuthenticationError } from '../../backend/libs/kafka/src/errors.js';

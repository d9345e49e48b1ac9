export * from './config/env.js';
export * from './bootstrap.js';
export * from './logging.js';
export * from './service.module.js';
export * from './service-options.js';
export * from './kafka/kafka-clients.js';
export * from './http/health-registry.js';
export * from './processing/index.js';

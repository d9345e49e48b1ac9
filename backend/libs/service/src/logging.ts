import { ConsoleLogger } from '@nestjs/common';
import type { LogFields, Logger } from '@kafkadog/kafka';

/** Nest's console logger without colours, so `npm start` can prefix and colour each service. */
export function createNestLogger(serviceName: string): ConsoleLogger {
  return new ConsoleLogger(serviceName, { colors: false, prefix: serviceName, timestamp: false });
}

function withFields(message: string, fields?: LogFields): string {
  if (!fields) return message;
  const rendered = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return rendered.length ? `${message} ${rendered.join(' ')}` : message;
}

/** The Kafka layer's logger interface, written through a Nest logger. */
export function kafkaLoggerFor(nest: ConsoleLogger, context: string): Logger {
  return {
    info: (message, fields) => nest.log(withFields(message, fields), context),
    warn: (message, fields) => nest.warn(withFields(message, fields), context),
    error: (message, fields) => nest.error(withFields(message, fields), undefined, context),
  };
}

export type LogFields = Readonly<Record<string, unknown>>;

/** What this library needs from a logger. A NestJS or pino logger fits behind it in a few lines. */
export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

function formatValue(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(value.message);
  if (typeof value === 'string')
    return /^[\w.:/@,[\]-]+$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value) ?? String(value);
}

/** `2025-01-01T00:00:00.000Z INFO [name] message key=value …`, one line per entry. */
export function formatLogLine(
  level: string,
  name: string | undefined,
  message: string,
  fields?: LogFields,
): string {
  const parts = [new Date().toISOString(), level.padEnd(5)];
  if (name) parts.push(`[${name}]`);
  parts.push(message.replace(/\s*\n\s*/g, ' '));
  for (const [key, value] of Object.entries(fields ?? {})) {
    if (value !== undefined) parts.push(`${key}=${formatValue(value)}`);
  }
  return parts.join(' ');
}

export function createConsoleLogger(name?: string): Logger {
  return {
    info: (message, fields) => console.log(formatLogLine('INFO', name, message, fields)),
    warn: (message, fields) => console.warn(formatLogLine('WARN', name, message, fields)),
    error: (message, fields) => console.error(formatLogLine('ERROR', name, message, fields)),
  };
}

export const consoleLogger: Logger = createConsoleLogger();

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

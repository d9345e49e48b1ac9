import 'reflect-metadata';
import { describeConnection, KafkadogError } from '@kafkadog/kafka';
import { NestFactory } from '@nestjs/core';
import { z } from 'zod';
import { baseEnv, ConfigError, kafkaSecurityOf, parseEnv, Port } from './config/env.js';
import { listenWhileStarting, type StartingServer } from './http/starting-server.js';
import { createNestLogger } from './logging.js';
import { releaseMemoryWhenIdle } from './memory/idle-release.js';

const MIN_NODE = [22, 22] as const;

function requireNode(): void {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1])) return;
  console.error(
    `kafkadog needs Node.js >= ${MIN_NODE.join('.')} (found v${process.versions.node}). ` +
      'Run it through npm (npm start), which uses the Node 24 that npm install puts in ' +
      'node_modules/.bin, or install Node 24 (nvm install 24).',
  );
  process.exit(1);
}

export interface RunServiceOptions {
  /** e.g. `payment-service`: log prefix, Kafka client id, consumer group prefix. */
  readonly name: string;
  /** The port of DESIGN.md; `PORT` overrides it. */
  readonly port: number;
}

/**
 * Boots a service: checks Node, parses the environment, starts Nest (which waits for Kafka),
 * listens, and shuts down cleanly on SIGINT/SIGTERM. Until Nest listens, the port answers 503
 * `starting`. A configuration error is one line, not a stack trace.
 */
export async function runService(appModule: unknown, options: RunServiceOptions): Promise<void> {
  requireNode();
  const logger = createNestLogger(options.name);
  let starting: StartingServer | undefined;
  try {
    const env = parseEnv(baseEnv.extend({ PORT: Port.default(options.port) }));
    const kafka = describeConnection(env.KAFKA_BROKERS.join(','), kafkaSecurityOf(env));
    starting = await listenWhileStarting(
      env.PORT,
      env.HOST,
      `${options.name} is starting: it waits for Kafka at ${kafka}, then loads its state`,
    );
    const app = await NestFactory.create(appModule as never, { logger, abortOnError: false });
    app.enableShutdownHooks();
    await app.init(); // the modules' init hooks: waiting for Kafka, loading state
    await starting.close();
    starting = undefined;
    await app.listen(env.PORT, env.HOST);
    logger.log(`ready on http://${env.HOST}:${env.PORT} (Kafka ${kafka})`);
    releaseMemoryWhenIdle((message) => logger.log(message));
  } catch (error) {
    await starting?.close();
    if (error instanceof ConfigError || error instanceof z.ZodError) {
      logger.error(`${error.message}. Fix the variable and start again.`);
    } else if (error instanceof KafkadogError && error.code === 'KAFKA_AUTHENTICATION_FAILED') {
      // Exits instead of waiting: the same credentials would be refused on every attempt.
      logger.error(`${error.message}. Fix the variables and start again.`);
    } else if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      logger.error(`port in use: ${(error as Error).message}. Stop what uses it, or set PORT.`);
    } else {
      logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
    process.exit(1);
  }
}

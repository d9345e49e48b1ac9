import { describeError, tailTopics, type TopicTail } from '@kafkadog/kafka';
import { KafkaClients } from '@kafkadog/service';
import {
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Response } from 'express';
import { streamedTopics } from '../feed/gateway-topics.js';
import { sseComment, sseMessage, toStreamedRecord } from './sse.js';

export const HEARTBEAT_MS = 15_000;
/** A client that reads slower than this much unsent data is dropped (it can reconnect). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * GET /events: every record of the flow's topics as it is written, to every connected client.
 * Its own tail starts at the log end ('latest'), so a client gets only what happens after it
 * connected; history is what GET /orders and the topics are for.
 */
@Injectable()
export class EventStream implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly #clients = new Set<Response>();
  #tail: TopicTail | undefined;
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly kafka: KafkaClients) {}

  get clients(): number {
    return this.#clients.size;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.kafka.admin.ensureTopics(streamedTopics);
    this.#tail = await tailTopics({
      brokers: this.kafka.brokers,
      topics: streamedTopics.map((topic) => topic.name),
      from: 'latest',
      clientId: 'api-gateway.events',
      logger: this.kafka.logger,
      onRecord: (record) => {
        if (this.#clients.size === 0) return;
        this.#broadcast(sseMessage(toStreamedRecord(record)));
      },
    });
    this.#heartbeat = setInterval(
      () => this.#broadcast(sseComment(`heartbeat ${new Date().toISOString()}`)),
      HEARTBEAT_MS,
    );
  }

  /** Open connections would hold the HTTP server's close: end them first. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.#heartbeat);
    for (const client of this.#clients) client.end();
    this.#clients.clear();
    await this.#tail?.close();
  }

  subscribe(response: Response): void {
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('Connection', 'keep-alive');
    // Tells nginx-style proxies not to buffer the stream.
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    response.write(`retry: 2000\n${sseComment('connected to kafkadog events')}`);
    this.#clients.add(response);
    response.on('close', () => this.#clients.delete(response));
  }

  #broadcast(chunk: string): void {
    for (const client of this.#clients) {
      if (client.writableLength > MAX_BUFFERED_BYTES) {
        this.kafka.logger.warn('dropping a slow GET /events client', {
          buffered: client.writableLength,
        });
        this.#clients.delete(client);
        client.end();
        continue;
      }
      try {
        client.write(chunk);
      } catch (error) {
        this.#clients.delete(client);
        this.kafka.logger.warn('GET /events write failed', { error: describeError(error) });
      }
    }
  }
}

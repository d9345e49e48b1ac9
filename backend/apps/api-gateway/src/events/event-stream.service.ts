import { allTopics } from '@kafkadog/contracts';
import { describeError, tailTopics, type ReadRecord, type TopicTail } from '@kafkadog/kafka';
import { KafkaClients } from '@kafkadog/service';
import {
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Response } from 'express';
import { matches, type EventsFilter } from './events-filter.js';
import { sseComment, sseMessage, toStreamedRecord } from './sse.js';

export const HEARTBEAT_MS = 15_000;
/** A client that reads slower than this much unsent data is dropped (it can reconnect). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * GET /events: every record of the registry's topics as it is written, to each connected client
 * that its filter lets through (by default the flow's topics). Its own tail starts at the log end
 * ('latest'), so a client gets only what happens after it connected; history is what GET /orders
 * and the explorer are for.
 */
@Injectable()
export class EventStream implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly #clients = new Map<Response, EventsFilter>();
  #tail: TopicTail | undefined;
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly kafka: KafkaClients) {}

  get clients(): number {
    return this.#clients.size;
  }

  async onApplicationBootstrap(): Promise<void> {
    // Every registry topic, internal ones included: a client may ask for any of them.
    await this.kafka.admin.ensureTopics(allTopics);
    this.#tail = await tailTopics({
      brokers: this.kafka.brokers,
      topics: allTopics.map((topic) => topic.name),
      from: 'latest',
      clientId: 'api-gateway.events',
      logger: this.kafka.logger,
      onRecord: (record) => {
        if (this.#clients.size === 0) return;
        this.#send(record);
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
    for (const client of this.#clients.keys()) client.end();
    this.#clients.clear();
    await this.#tail?.close();
  }

  subscribe(response: Response, filter: EventsFilter): void {
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('Connection', 'keep-alive');
    // Tells nginx-style proxies not to buffer the stream.
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    response.write(`retry: 2000\n${sseComment('connected to kafkadog events')}`);
    this.#clients.set(response, filter);
    response.on('close', () => this.#clients.delete(response));
  }

  #send(record: ReadRecord): void {
    const receivers = [...this.#clients].filter(([, filter]) => matches(filter, record));
    if (receivers.length === 0) return;
    this.#write(
      receivers.map(([client]) => client),
      sseMessage(toStreamedRecord(record)),
    );
  }

  #broadcast(chunk: string): void {
    this.#write([...this.#clients.keys()], chunk);
  }

  #write(clients: readonly Response[], chunk: string): void {
    for (const client of clients) {
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

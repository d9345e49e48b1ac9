import { allTopics } from '@kafkadog/contracts';
import { describeError, tailTopics, type ReadRecord, type TopicTail } from '@kafkadog/kafka';
import { KafkaClients } from '@kafkadog/service';
import {
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Response } from 'express';
import { readingFromKafka } from '../http/kafka-unavailable.js';
import { matches, type EventsFilter } from './events-filter.js';
import { sseComment, sseMessage, toStreamedRecord } from './sse.js';

export const HEARTBEAT_MS = 15_000;
/** How long the tail keeps running after its last client left (a reload reconnects at once). */
const IDLE_MS = 30_000;
/** A client that reads slower than this much unsent data is dropped (it can reconnect). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * GET /events: every record of the registry's topics as it is written, to each connected client
 * that its filter lets through (by default the flow's topics). Its own tail starts at the log end
 * ('latest'), so a client gets only what happens after it connected; history is what GET /orders
 * and the explorer are for. The tail runs only while someone listens (and a little after): with
 * nobody connected, the gateway reads none of these records.
 */
@Injectable()
export class EventStream implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly #clients = new Map<Response, EventsFilter>();
  /** The tail of every topic, started by the first client. */
  #tail: Promise<TopicTail> | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #idle: NodeJS.Timeout | undefined;

  constructor(private readonly kafka: KafkaClients) {}

  get clients(): number {
    return this.#clients.size;
  }

  async onApplicationBootstrap(): Promise<void> {
    // Every registry topic, internal ones included: a client may ask for any of them.
    await this.kafka.admin.ensureTopics(allTopics);
    this.#heartbeat = setInterval(
      () => this.#broadcast(sseComment(`heartbeat ${new Date().toISOString()}`)),
      HEARTBEAT_MS,
    );
  }

  /** Open connections would hold the HTTP server's close: end them first. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.#heartbeat);
    clearTimeout(this.#idle);
    for (const client of this.#clients.keys()) client.end();
    this.#clients.clear();
    await this.#stopTail();
  }

  /**
   * Opens the stream once the tail is at the log end: a client that saw the stream open gets
   * every record written after that.
   */
  async subscribe(response: Response, filter: EventsFilter): Promise<void> {
    clearTimeout(this.#idle);
    await readingFromKafka('the topics to stream', () => this.#startTail());
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('Connection', 'keep-alive');
    // Tells nginx-style proxies not to buffer the stream.
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    response.write(`retry: 2000\n${sseComment('connected to kafkadog events')}`);
    this.#clients.set(response, filter);
    response.on('close', () => this.#leave(response));
  }

  #startTail(): Promise<TopicTail> {
    this.#tail ??= tailTopics({
      brokers: this.kafka.brokers,
      topics: allTopics.map((topic) => topic.name),
      from: 'latest',
      clientId: 'api-gateway.events',
      logger: this.kafka.logger,
      onRecord: (record) => this.#send(record),
    }).catch((error: unknown) => {
      this.#tail = undefined;
      throw error;
    });
    return this.#tail;
  }

  async #stopTail(): Promise<void> {
    const tail = this.#tail;
    this.#tail = undefined;
    await tail?.then((running) => running.close()).catch(() => {});
  }

  #leave(response: Response): void {
    this.#clients.delete(response);
    if (this.#clients.size > 0) return;
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => {
      if (this.#clients.size === 0) void this.#stopTail();
    }, IDLE_MS);
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
        this.#leave(client);
        client.end();
        continue;
      }
      try {
        client.write(chunk);
      } catch (error) {
        this.#leave(client);
        this.kafka.logger.warn('GET /events write failed', { error: describeError(error) });
      }
    }
  }
}

import {
  Consumer,
  FetchIsolationLevels,
  MessagesStreamModes,
  stringDeserializer,
  type Message,
} from '@platformatic/kafka';
import { uniqueName } from '../../../../test/support/kafka.js';
import { waitFor } from '../../../../test/support/wait.js';

type TestConsumer = Consumer<string, string, string, string>;
export type TestMessage = Message<string, string, string, string>;

/** A consumer group member reading `read_committed`, as an exactly-once service would. */
export function committedReader(
  brokers: string[],
  options: { groupId?: string; maxBytes?: number } = {},
): TestConsumer {
  return new Consumer({
    clientId: 'test-read-committed',
    groupId: options.groupId ?? uniqueName('tx.reader'),
    bootstrapBrokers: brokers,
    isolationLevel: FetchIsolationLevels.READ_COMMITTED,
    autocommit: false,
    maxWaitTime: 200,
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    deserializers: {
      key: stringDeserializer,
      value: stringDeserializer,
      headerKey: stringDeserializer,
      headerValue: stringDeserializer,
    },
  });
}

/**
 * Reads `topic` from the beginning until `done` holds for what was read (or the time is up) and
 * returns every message delivered, duplicates and all.
 */
export async function readUntil(
  consumer: TestConsumer,
  topic: string,
  done: (messages: readonly TestMessage[]) => boolean,
  timeoutMs = 30_000,
): Promise<TestMessage[]> {
  const messages: TestMessage[] = [];
  const stream = await consumer.consume({
    topics: [topic],
    mode: MessagesStreamModes.EARLIEST,
    autocommit: false,
  });
  stream.on('data', (message: TestMessage) => messages.push(message));
  try {
    await waitFor(() => done(messages), { timeoutMs, what: `messages of ${topic}` }).catch(
      () => undefined,
    );
    return messages;
  } finally {
    await stream.close();
  }
}

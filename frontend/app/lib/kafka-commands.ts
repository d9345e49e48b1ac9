// The command of Kafka's own tools (bin/*.sh of the Kafka distribution) that does what an
// explorer action does, so a learner can repeat it without the dashboard.

/** A word quoted for a POSIX shell when it needs to be. */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

function command(tool: string, bootstrap: string, args: (string | number)[]): string {
  return [tool, '--bootstrap-server', bootstrap, ...args]
    .map((arg) => shellQuote(String(arg)))
    .join(' ');
}

export function describeTopicCommand(bootstrap: string, topic?: string): string {
  return command(
    'kafka-topics.sh',
    bootstrap,
    topic ? ['--describe', '--topic', topic] : ['--describe'],
  );
}

export function listTopicsCommand(bootstrap: string): string {
  return command('kafka-topics.sh', bootstrap, ['--list']);
}

export function topicConfigCommand(bootstrap: string, topic: string): string {
  return command('kafka-configs.sh', bootstrap, [
    '--describe',
    '--entity-type',
    'topics',
    '--entity-name',
    topic,
  ]);
}

export type ConsumeFrom =
  | { from: 'earliest' }
  | { from: 'latest' }
  | { from: 'offset'; offset: string }
  | { from: 'timestamp'; timestamp: number };

export interface ConsumeOptions {
  topic: string;
  /** Omitted: every partition (the tool then reads from the beginning or the end only). */
  partition?: number | null;
  start: ConsumeFrom;
  maxMessages?: number;
}

const PRINT_PROPERTIES = [
  'print.partition=true',
  'print.offset=true',
  'print.timestamp=true',
  'print.key=true',
  'print.headers=true',
];

function printArgs(): string[] {
  return PRINT_PROPERTIES.flatMap((property) => ['--property', property]);
}

/**
 * kafka-console-consumer.sh reading what the browser shows. It takes `--offset` only with a
 * `--partition`, and no timestamp at all: a timestamp is first turned into an offset with
 * kafka-get-offsets.sh `--time`, as the gateway does with ListOffsets.
 */
export function consumeCommand(bootstrap: string, options: ConsumeOptions): string {
  const { topic, partition, start, maxMessages } = options;
  const args: (string | number)[] = ['--topic', topic];
  const hasPartition = partition !== undefined && partition !== null;
  if (hasPartition) args.push('--partition', partition);
  let prelude: string | null = null;
  switch (start.from) {
    case 'earliest':
      if (hasPartition) args.push('--offset', 'earliest');
      else args.push('--from-beginning');
      break;
    case 'latest':
      if (hasPartition) args.push('--offset', 'latest');
      break;
    case 'offset':
      if (hasPartition) args.push('--offset', start.offset);
      else args.push('--from-beginning');
      break;
    case 'timestamp': {
      const partitions = hasPartition ? `${topic}:${partition}` : topic;
      prelude = command('kafka-get-offsets.sh', bootstrap, [
        '--topic-partitions',
        partitions,
        '--time',
        start.timestamp,
      ]);
      if (hasPartition) args.push('--offset', '<offset printed above>');
      else args.push('--from-beginning');
      break;
    }
    default: {
      const unreachable: never = start;
      throw new Error(`unknown start ${JSON.stringify(unreachable)}`);
    }
  }
  if (maxMessages !== undefined) args.push('--max-messages', maxMessages);
  args.push(...printArgs());
  const consume = command('kafka-console-consumer.sh', bootstrap, args).replace(
    shellQuote('<offset printed above>'),
    '<offset printed above>',
  );
  return prelude ? `${prelude}\n${consume}` : consume;
}

export interface ProduceOptions {
  topic: string;
  key?: string | null;
  value: string;
  headers?: Record<string, string>;
}

/**
 * kafka-console-producer.sh writing one record: the line piped in is `headers<TAB>key<TAB>value`
 * (`h1:v1,h2:v2`), the tool's default separators. The tool reads one record per line, so the
 * value is written as one line (JSON is compacted).
 */
export function produceCommand(bootstrap: string, options: ProduceOptions): string {
  const headers = Object.entries(options.headers ?? {});
  const hasKey = options.key !== undefined && options.key !== null && options.key !== '';
  const fields: string[] = [];
  if (headers.length > 0) fields.push(headers.map(([name, value]) => `${name}:${value}`).join(','));
  if (hasKey) fields.push(options.key as string);
  fields.push(oneLine(options.value));
  const args: string[] = ['--topic', options.topic];
  if (hasKey) args.push('--property', 'parse.key=true');
  if (headers.length > 0) args.push('--property', 'parse.headers=true');
  const line = `printf '%s\\n' ${shellQuote(fields.join('\t'))}`;
  return `${line} | ${command('kafka-console-producer.sh', bootstrap, args)}`;
}

function oneLine(value: string): string {
  try {
    return JSON.stringify(JSON.parse(value));
  } catch {
    return value.replace(/\r?\n/g, ' ');
  }
}

export function listGroupsCommand(bootstrap: string): string {
  return command('kafka-consumer-groups.sh', bootstrap, ['--list', '--state']);
}

export function describeGroupCommand(
  bootstrap: string,
  groupId: string,
  view: 'offsets' | 'members' | 'state' = 'offsets',
): string {
  const extra =
    view === 'members' ? ['--members', '--verbose'] : view === 'state' ? ['--state'] : [];
  return command('kafka-consumer-groups.sh', bootstrap, [
    '--describe',
    '--group',
    groupId,
    ...extra,
  ]);
}

export type ResetTo =
  | { to: 'earliest' }
  | { to: 'latest' }
  | { to: 'timestamp'; timestamp: number }
  | { to: 'offset'; offset: string }
  | { to: 'shift-by'; shiftBy: number };

export interface ResetOptions {
  groupId: string;
  /** Empty or omitted: every topic the group has offsets on. */
  topics?: readonly string[];
  target: ResetTo;
  execute: boolean;
}

/** kafka-consumer-groups.sh --reset-offsets, as a preview (--dry-run) or for real (--execute). */
export function resetOffsetsCommand(bootstrap: string, options: ResetOptions): string {
  const args: (string | number)[] = ['--group', options.groupId, '--reset-offsets'];
  const topics = options.topics ?? [];
  if (topics.length === 0) args.push('--all-topics');
  for (const topic of topics) args.push('--topic', topic);
  const target = options.target;
  switch (target.to) {
    case 'earliest':
      args.push('--to-earliest');
      break;
    case 'latest':
      args.push('--to-latest');
      break;
    case 'timestamp':
      // The tool takes a date-time; the trailing Z keeps it from reading it as local time.
      args.push('--to-datetime', new Date(target.timestamp).toISOString());
      break;
    case 'offset':
      args.push('--to-offset', target.offset);
      break;
    case 'shift-by':
      args.push('--shift-by', target.shiftBy);
      break;
    default: {
      const unreachable: never = target;
      throw new Error(`unknown reset target ${JSON.stringify(unreachable)}`);
    }
  }
  args.push(options.execute ? '--execute' : '--dry-run');
  return command('kafka-consumer-groups.sh', bootstrap, args);
}

/** The bootstrap servers as the tools take them: `host:port,host:port`. */
export function bootstrapOf(
  brokers: readonly string[] | undefined,
  fallback = 'localhost:9092',
): string {
  return brokers && brokers.length > 0 ? brokers.join(',') : fallback;
}

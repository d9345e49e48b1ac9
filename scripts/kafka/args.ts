import { parseArgs } from 'node:util';
import { checkNodeCount } from './config.js';
import { KafkadogError } from './errors.js';

export const COMMANDS = ['start', 'stop', 'status', 'logs'] as const;
export type Command = (typeof COMMANDS)[number];

export interface CliArgs {
  /** Undefined with --help or no command. */
  command: Command | undefined;
  help: boolean;
  /** start: node count (1..5); undefined means "as formatted, else 1". */
  nodes: number | undefined;
  /** start: a new cluster's clients log in with SCRAM (SASL_PLAINTEXT). */
  sasl: boolean;
  /** stop / logs: one node only. */
  node: number | undefined;
  /** stop: delete the data dir afterwards. */
  wipe: boolean;
  /** logs: lines per node. */
  lines: number;
  /** logs: keep printing. */
  follow: boolean;
}

const ONLY_FOR: Record<string, readonly Command[]> = {
  nodes: ['start'],
  sasl: ['start'],
  node: ['stop', 'logs'],
  wipe: ['stop'],
  lines: ['logs'],
  follow: ['logs'],
};

export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        nodes: { type: 'string' },
        sasl: { type: 'boolean', default: false },
        node: { type: 'string' },
        wipe: { type: 'boolean', default: false },
        lines: { type: 'string', short: 'n' },
        follow: { type: 'boolean', short: 'f', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new KafkadogError(
      'BAD_ARGS',
      `${(error as Error).message.split('\n')[0]?.replace(/\.$/, '')}: see \`npm run kafka:start -- --help\`.`,
      { cause: error },
    );
  }
  const { values, positionals } = parsed;
  const [first, ...extra] = positionals;
  if (first !== undefined && !(COMMANDS as readonly string[]).includes(first)) {
    throw new KafkadogError(
      'BAD_ARGS',
      `Unknown command "${first}": use one of ${COMMANDS.join(', ')} (npm run kafka:<command>).`,
    );
  }
  if (extra.length > 0) {
    throw new KafkadogError('BAD_ARGS', `Unexpected argument "${extra[0]}": see --help.`);
  }
  const command = first as Command | undefined;
  if (command) {
    for (const [option, commands] of Object.entries(ONLY_FOR)) {
      const value = values[option as keyof typeof values];
      if (value !== undefined && value !== false && !commands.includes(command)) {
        throw new KafkadogError(
          'BAD_ARGS',
          `--${option} only applies to ${commands.map((c) => `kafka:${c}`).join(' and ')}, not kafka:${command}.`,
        );
      }
    }
  }
  let nodes: number | undefined;
  if (values.nodes !== undefined) {
    nodes = wholeNumber(values.nodes, '--nodes');
    checkNodeCount(nodes);
  }
  return {
    command,
    help: values.help || command === undefined,
    nodes,
    sasl: values.sasl,
    node: values.node === undefined ? undefined : wholeNumber(values.node, '--node'),
    wipe: values.wipe,
    lines: values.lines === undefined ? 50 : wholeNumber(values.lines, '--lines'),
    follow: values.follow,
  };
}

function wholeNumber(value: string, option: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new KafkadogError('BAD_ARGS', `${option} needs a whole number ≥ 1 (got "${value}").`);
  }
  return Number(value);
}

export const HELP = `Run a local Apache Kafka (KRaft) for kafkadog, from Maven jars and your Java 17+.

  npm run kafka:start [-- --nodes 3]   start (first run downloads Kafka ~100 MB); no-op if running
  npm run kafka:start -- --sasl        clients must log in with SCRAM (as on MSK or Aiven)
  npm run kafka:stop  [-- --wipe]      stop; --wipe also deletes all data (topics, offsets)
  npm run kafka:stop  -- --node 2      stop one node of a multi-node cluster (kafka:start restarts it)
  npm run kafka:status                 per node: running or not, pid, port, whether it answers
  npm run kafka:logs  [-- -n 100 -f]   last lines of each node's log; -f keeps following
                      [-- --node 2]    one node only

--nodes N      1 (default) or 3: a 3-node cluster with replication factor 3 and min ISR 2.
               A data dir keeps the node count it was created with: to switch, run
               \`npm run kafka:stop -- --wipe\` first. Without --nodes, start reuses it.

--sasl         A new cluster's client port speaks SASL_PLAINTEXT: clients log in with
               SCRAM-SHA-256 or SCRAM-SHA-512 as a user created when the storage is
               formatted (KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD if set, else "kafkadog"
               and a random password). Start prints the variables to connect with; npm start
               passes them to the services. The data dir keeps it: without --sasl, start
               reuses it as formatted.

Ports: node i listens on 127.0.0.1:<base + 2(i-1)> (clients) and the next port (controller).

Environment:
  KAFKA_BROKERS=host:port,...   use that cluster instead; start/stop/status manage nothing
  KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD, KAFKA_TLS,
  KAFKA_TLS_CA_FILE             how to log in to it (README: Connect to a managed cluster)
  KAFKADOG_KAFKA_PORT=9092      base port (e.g. 29092 to run next to another Kafka)
  KAFKADOG_DATA_DIR=<dir>       cluster data, logs, pid files (default: under the cache,
                                one per checkout and base port)
  KAFKADOG_CACHE=<dir>          where Kafka's jars go (default ~/.cache/kafkadog)
  JAVA_HOME=<dir>               the Java to use (default: java on PATH)
`;

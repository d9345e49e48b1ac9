import { parseOrExplain } from '../ops/args.js';

export interface ResetArgs {
  readonly help: boolean;
  /** Ask no confirmation. */
  readonly yes: boolean;
}

export function parseResetArgs(argv: readonly string[]): ResetArgs {
  const { values } = parseOrExplain(
    {
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        yes: { type: 'boolean', short: 'y', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    },
    'reset',
  );
  return { help: values.help, yes: values.yes };
}

/** Only an explicit yes goes on: Enter alone, or anything else, keeps everything. */
export function isYes(answer: string): boolean {
  return /^\s*y(es)?\s*$/i.test(answer);
}

/** Asked only at a terminal, without --yes: a script or CI gets no prompt. */
export function needsConfirmation(args: ResetArgs, stdinIsTTY: boolean | undefined): boolean {
  return !args.yes && stdinIsTTY === true;
}

export const HELP = `Start over with an empty Kafka: stop what kafkadog runs locally, delete the broker's data
(every topic, record and committed offset), start the broker again and create the topics.

  npm run reset            asks first (at a terminal)
  npm run reset -- --yes   no question (also when not at a terminal, e.g. in CI)

What it stops: a running \`npm start\` (by the pid it recorded; its services and dashboard
stop with it) and the local broker (as \`npm run kafka:stop\`). Then \`npm start\` starts the
services on the fresh, empty topics, with the initial stock.

Options:
  -y, --yes    do not ask
  -h, --help   this text

Environment: KAFKADOG_KAFKA_PORT and KAFKADOG_DATA_DIR pick the local cluster, as for
\`npm run kafka:start\`. With KAFKA_BROKERS set, reset refuses: it never wipes a cluster
kafkadog did not start.
`;

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { KafkadogError } from '../kafka/errors.js';

/** node:util parseArgs, its errors as one line that points at the command's --help. */
export function parseOrExplain<T extends ParseArgsConfig>(
  config: T,
  command: string,
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new KafkadogError(
      'BAD_ARGS',
      `${(error as Error).message.split('\n')[0]?.replace(/\.$/, '')}: see \`npm run ${command} -- --help\`.`,
      { cause: error },
    );
  }
}

export function wholeNumber(value: string, option: string, min = 1): number {
  if (!/^\d+$/.test(value) || Number(value) < min) {
    throw new KafkadogError(
      'BAD_ARGS',
      `${option} needs a whole number ≥ ${min} (got "${value}").`,
    );
  }
  return Number(value);
}

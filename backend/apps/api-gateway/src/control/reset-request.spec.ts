import { describe, expect, it } from 'vitest';
import { ApiError } from '../http/api-error.js';
import { parseInput } from '../http/validation.js';
import { ResetRequest, resetCommand, resetTarget } from './reset-request.js';

const base = { brokers: ['127.0.0.1:9092', '127.0.0.1:9094'], groupId: 'notification-service' };

describe('resetCommand', () => {
  it('writes the tool command for each target, with every topic, dry run or execute', () => {
    expect(
      resetCommand({ ...base, topics: ['orders.outcome.v1'], to: 'earliest', execute: false }),
    ).toBe(
      'kafka-consumer-groups.sh --bootstrap-server 127.0.0.1:9092,127.0.0.1:9094 ' +
        '--group notification-service --reset-offsets --to-earliest --topic orders.outcome.v1 --dry-run',
    );
    const command = (to: Parameters<typeof resetCommand>[0]['to']) =>
      resetCommand({ ...base, topics: ['orders.v1', 'payments.v1'], to, execute: true });
    expect(command('latest')).toContain(
      '--to-latest --topic orders.v1 --topic payments.v1 --execute',
    );
    expect(command({ timestamp: Date.UTC(2026, 0, 2, 3, 4, 5, 6) })).toContain(
      '--to-datetime 2026-01-02T03:04:05.006Z ',
    );
    expect(command({ offset: 42n })).toContain('--to-offset 42 ');
    expect(command({ shiftBy: -3n })).toContain('--shift-by -3 ');
  });

  it('quotes a group id the shell would split', () => {
    expect(
      resetCommand({ ...base, groupId: "ada's group", topics: ['t'], to: 'latest', execute: true }),
    ).toContain(`--group 'ada'\\''s group' `);
  });
});

describe('ResetRequest', () => {
  it('takes each target of the contract and turns it into the admin target', () => {
    const target = (to: unknown) => resetTarget(parseInput(ResetRequest, { to, dryRun: true }).to);
    expect(target('earliest')).toBe('earliest');
    expect(target({ timestamp: '2026-01-02T03:04:05.006Z' })).toEqual({
      timestamp: Date.UTC(2026, 0, 2, 3, 4, 5, 6),
    });
    expect(target({ timestamp: 1_700_000_000_000 })).toEqual({ timestamp: 1_700_000_000_000 });
    expect(target({ offset: '9007199254740993' })).toEqual({ offset: 9007199254740993n });
    expect(target({ offset: 7 })).toEqual({ offset: 7n });
    expect(target({ shiftBy: -5 })).toEqual({ shiftBy: -5n });
  });

  it('refuses a bad body with 400 naming the field', () => {
    const issues = (body: unknown) => {
      try {
        parseInput(ResetRequest, body);
      } catch (error) {
        expect(error).toBeInstanceOf(ApiError);
        return (error as ApiError).body.issues?.map((issue) => issue.field);
      }
      throw new Error('accepted');
    };
    expect(issues({ to: 'earliest' })).toEqual(['dryRun']);
    expect(issues({ to: 'yesterday', dryRun: true })).toEqual(['to']);
    expect(issues({ to: { offset: -1 }, dryRun: true })).toEqual(['to.offset']);
    expect(issues({ to: 'latest', dryRun: false, topics: [] })).toEqual(['topics']);
    expect(issues({ to: 'latest', dryRun: false, force: true })).toEqual(['force']);
  });
});

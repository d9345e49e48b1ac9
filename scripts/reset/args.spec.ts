import { describe, expect, it } from 'vitest';
import { isYes, needsConfirmation, parseResetArgs } from './args.js';

describe('parseResetArgs', () => {
  it('reads --yes and --help', () => {
    expect(parseResetArgs([])).toEqual({ help: false, yes: false });
    expect(parseResetArgs(['-y'])).toEqual({ help: false, yes: true });
    expect(parseResetArgs(['--help']).help).toBe(true);
    expect(() => parseResetArgs(['--force'])).toThrow(/npm run reset -- --help/);
  });
});

describe('the confirmation', () => {
  it('is asked only at a terminal and without --yes', () => {
    expect(needsConfirmation({ help: false, yes: false }, true)).toBe(true);
    expect(needsConfirmation({ help: false, yes: true }, true)).toBe(false);
    expect(needsConfirmation({ help: false, yes: false }, undefined)).toBe(false);
  });

  it('goes on only on an explicit yes', () => {
    for (const answer of ['y', 'Y', 'yes', ' YES ']) expect(isYes(answer), answer).toBe(true);
    for (const answer of ['', 'n', 'no', 'yep', 'oui']) expect(isYes(answer), answer).toBe(false);
  });
});

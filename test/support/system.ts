import { afterAll, beforeAll } from 'vitest';
import { startStack, type Stack, type StackOptions } from '../../scripts/lib/stack.js';

/**
 * Starts a stack for the test file (beforeAll) and stops it afterwards (afterAll). Returns a
 * getter: the stack exists only once beforeAll ran.
 */
export function useStack(options: StackOptions = {}): () => Stack {
  let stack: Stack | undefined;
  beforeAll(async () => {
    stack = await startStack(options);
  });
  afterAll(async () => {
    await stack?.stop();
  });
  return () => {
    if (!stack) throw new Error('the stack did not start (see the beforeAll error)');
    return stack;
  };
}

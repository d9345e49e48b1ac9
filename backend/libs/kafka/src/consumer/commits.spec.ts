import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PeriodicCommits } from './commits.js';

const at = (partition: number, offset: number) => ({ topic: 't', partition, offset });
type Point = ReturnType<typeof at>;

describe('PeriodicCommits', () => {
  let committed: Point[][];
  let commits: PeriodicCommits<Point>;

  beforeEach(() => {
    vi.useFakeTimers();
    committed = [];
    commits = new PeriodicCommits<Point>((points) => {
      committed.push(points);
      return Promise.resolve();
    }, 250);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('commits the first records at once, then the newest of each partition once per interval', async () => {
    commits.add([at(0, 1)]);
    await vi.advanceTimersByTimeAsync(0);
    expect(committed).toEqual([[at(0, 1)]]);

    commits.add([at(0, 2)]);
    commits.add([at(1, 7), at(0, 3)]);
    await vi.advanceTimersByTimeAsync(249);
    expect(committed).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(committed).toEqual([[at(0, 1)], [at(0, 3), at(1, 7)]]);
  });

  it('commits what is pending when closed, without waiting for the interval', async () => {
    commits.add([at(0, 1)]);
    await vi.advanceTimersByTimeAsync(0);
    commits.add([at(0, 5)]);
    await commits.close();
    expect(committed).toEqual([[at(0, 1)], [at(0, 5)]]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(committed).toHaveLength(2);
  });

  it('commits nothing after a failed commit, and reports the failure', async () => {
    const error = new Error('coordinator moved');
    let calls = 0;
    commits = new PeriodicCommits<Point>((points) => {
      calls++;
      if (calls === 1) return Promise.reject(error);
      committed.push(points);
      return Promise.resolve();
    }, 250);
    commits.add([at(0, 1)]);
    await vi.advanceTimersByTimeAsync(0);
    expect(commits.failure).toEqual({ error });
    commits.add([at(0, 2)]);
    await commits.close();
    expect(calls).toBe(1);
    expect(committed).toEqual([]);
  });
});

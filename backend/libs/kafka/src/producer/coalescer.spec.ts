import { describe, expect, it } from 'vitest';
import { SendCoalescer } from './coalescer.js';

/** A request that the test answers by hand, so that it can send more while one is in flight. */
function manualRequests() {
  const requests: { records: readonly string[]; answer: () => void; fail: (e: Error) => void }[] =
    [];
  const coalescer = new SendCoalescer<string, string>(
    (records) =>
      new Promise((resolve, reject) => {
        requests.push({
          records,
          answer: () => resolve(records.map((record) => `stored:${record}`)),
          fail: reject,
        });
      }),
  );
  return { coalescer, requests };
}

describe('SendCoalescer', () => {
  it('given nothing in flight, when one send comes, then it goes out at once', () => {
    const { coalescer, requests } = manualRequests();
    void coalescer.send(['a']);
    expect(requests.map((r) => r.records)).toEqual([['a']]);
  });

  it('given a request in flight, when sends come, then they go out together once it returns, each with its own positions', async () => {
    const { coalescer, requests } = manualRequests();
    const first = coalescer.send(['a']);
    const second = coalescer.send(['b', 'c']);
    const third = coalescer.send(['d']);
    expect(requests).toHaveLength(1);

    requests[0]!.answer();
    expect(await first).toEqual(['stored:a']);
    expect(requests.map((r) => r.records)).toEqual([['a'], ['b', 'c', 'd']]);
    requests[1]!.answer();

    expect(await second).toEqual(['stored:b', 'stored:c']);
    expect(await third).toEqual(['stored:d']);
    expect(coalescer.requests).toBe(2);
  });

  it('given a request that fails, then every send in it fails, and the next request goes out', async () => {
    const { coalescer, requests } = manualRequests();
    const first = coalescer.send(['a']);
    const second = coalescer.send(['b']);
    const third = coalescer.send(['c']);
    requests[0]!.answer();
    await first;
    const later = coalescer.send(['d']);
    requests[1]!.fail(new Error('broker gone'));

    await expect(second).rejects.toThrow('broker gone');
    await expect(third).rejects.toThrow('broker gone');
    expect(requests.map((r) => r.records)).toEqual([['a'], ['b', 'c'], ['d']]);
    requests[2]!.answer();
    expect(await later).toEqual(['stored:d']);
  });

  it('given an empty send, then it sends nothing', async () => {
    const { coalescer, requests } = manualRequests();
    expect(await coalescer.send([])).toEqual([]);
    expect(requests).toEqual([]);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { testBrokers, uniqueName } from '../../../../test/support/kafka.js';
import { waitFor } from '../../../../test/support/wait.js';
import { createLease, type Lease } from '../src/group/index.js';
import { memoryLogger } from './fixtures.js';

describe('a lease: one holder at a time among instances', () => {
  const brokers = testBrokers();
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  function instance(groupId: string, name: string): { lease: Lease; changes: boolean[] } {
    const changes: boolean[] = [];
    const lease = createLease({
      brokers,
      groupId,
      clientId: name,
      logger: memoryLogger(),
      onChange: (held) => changes.push(held),
      sessionTimeoutMs: 6_000,
      heartbeatIntervalMs: 500,
    });
    lease.start();
    closers.push(() => lease.close());
    return { lease, changes };
  }

  it('goes to the first member, stays there when others join, and moves when it leaves', async () => {
    const groupId = uniqueName('lease');
    const a = instance(groupId, 'lease-a');
    await waitFor(() => a.lease.held, { what: 'the first member to hold the lease' });

    const b = instance(groupId, 'lease-b');
    const c = instance(groupId, 'lease-c');
    // b and c joined (a rebalance ran) and neither took the lease from a.
    await waitFor(() => b.changes.length === 0 && c.changes.length === 0 && settled(b, c), {
      what: 'b and c to join as standbys',
    });
    expect(a.lease.held).toBe(true);
    expect(a.changes).toEqual([true]);

    await a.lease.close();
    expect(a.changes).toEqual([true, false]);
    const next = await waitFor(() => [b, c].find((x) => x.lease.held), {
      what: 'another member to take the lease',
    });
    const other = next === b ? c : b;
    expect(next.changes).toEqual([true]);
    expect(other.lease.held).toBe(false);
  });

  it('stops being current when the process froze for a session, before it notices', async () => {
    const groupId = uniqueName('lease');
    const a = instance(groupId, 'lease-frozen');
    await waitFor(() => a.lease.current, { what: 'the member to hold the lease' });

    // Busy for longer than a session: no timer, no heartbeat, no I/O, as in a long GC pause or
    // a SIGSTOP. The coordinator may hand the lease to another member meanwhile.
    const until = Date.now() + 6_500;
    while (Date.now() < until) {
      // frozen
    }
    // Its watchdog has not run yet, so `held` still says yes; `current` already says no.
    expect(a.lease.held).toBe(true);
    expect(a.lease.current).toBe(false);

    // Alone in its group, it gets the lease again once it has rejoined.
    await waitFor(() => a.lease.current, { what: 'the member to hold the lease again' });
  });

  function settled(...members: { lease: Lease }[]): boolean {
    return members.every((member) => member.lease.joined);
  }
});

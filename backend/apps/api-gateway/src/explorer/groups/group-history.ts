/** Who held which partitions at one sample. */
export interface MemberAssignment {
  readonly memberId: string;
  readonly assignments: readonly { topic: string; partitions: readonly number[] }[];
}

export interface PartitionMove {
  readonly topic: string;
  readonly partition: number;
  /** The member that held it before; null when nobody did. */
  readonly from: string | null;
  readonly to: string | null;
}

/** What changed in a group between two samples (members by member id). */
export interface Rebalance {
  readonly at: string;
  readonly joined: string[];
  readonly left: string[];
  readonly moved: PartitionMove[];
}

export interface LagPoint {
  readonly at: string;
  readonly lag: number;
  readonly byTopic: Record<string, number>;
}

export const LAG_HISTORY_MS = 10 * 60_000;
export const MAX_REBALANCES = 50;

function owners(members: readonly MemberAssignment[]): Map<string, string> {
  const owner = new Map<string, string>();
  for (const member of members) {
    for (const { topic, partitions } of member.assignments) {
      for (const partition of partitions) owner.set(`${topic}\u0000${partition}`, member.memberId);
    }
  }
  return owner;
}

/** The joins, leaves and moved partitions from `before` to `after`; null when nothing changed. */
export function diffMembers(
  before: readonly MemberAssignment[],
  after: readonly MemberAssignment[],
): Omit<Rebalance, 'at'> | null {
  const beforeIds = new Set(before.map((member) => member.memberId));
  const afterIds = new Set(after.map((member) => member.memberId));
  const joined = [...afterIds].filter((id) => !beforeIds.has(id)).sort();
  const left = [...beforeIds].filter((id) => !afterIds.has(id)).sort();
  const was = owners(before);
  const is = owners(after);
  const moved: PartitionMove[] = [];
  for (const key of new Set([...was.keys(), ...is.keys()])) {
    const from = was.get(key) ?? null;
    const to = is.get(key) ?? null;
    if (from === to) continue;
    const [topic = '', partition = '0'] = key.split('\u0000');
    moved.push({ topic, partition: Number(partition), from, to });
  }
  moved.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  if (joined.length === 0 && left.length === 0 && moved.length === 0) return null;
  return { joined, left, moved };
}

/**
 * One group's recent past, as the gateway saw it: lag over the last ten minutes and the last
 * rebalances. Kept in memory; it starts again empty when the gateway does.
 */
export class GroupHistory {
  #members: readonly MemberAssignment[];
  readonly #lag: LagPoint[] = [];
  readonly #rebalances: Rebalance[] = [];

  /** `members`: who was in the group when the history starts (nothing is diffed against it yet). */
  constructor(members: readonly MemberAssignment[] = []) {
    this.#members = members;
  }

  record(at: Date, members: readonly MemberAssignment[], lag: LagPoint | undefined): void {
    const change = diffMembers(this.#members, members);
    this.#members = members;
    if (change) {
      this.#rebalances.push({ at: at.toISOString(), ...change });
      this.#rebalances.splice(0, this.#rebalances.length - MAX_REBALANCES);
    }
    if (lag) this.#lag.push(lag);
    const oldest = at.getTime() - LAG_HISTORY_MS;
    const expired = this.#lag.findIndex((point) => Date.parse(point.at) >= oldest);
    this.#lag.splice(0, expired < 0 ? this.#lag.length : expired);
  }

  get lagHistory(): readonly LagPoint[] {
    return this.#lag;
  }

  get rebalances(): readonly Rebalance[] {
    return this.#rebalances;
  }
}

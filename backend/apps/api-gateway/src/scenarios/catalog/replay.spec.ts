import { topics } from '@kafkadog/contracts';
import { describe, expect, it } from 'vitest';
import { failing, Given } from '../facts.fixture.js';
import { DUPLICATES, replayVerdict } from './replay.js';

const GROUP = 'notification-service';
const OUTCOMES = topics.outcomes.name;
const labels = { topic: OUTCOMES, group: GROUP };

/** One order notified; the group at the end of both partitions (5 and 3 records), counter 2. */
function standing(): Given {
  return new Given()
    .placed('a', 'before')
    .event(OUTCOMES, 'OrderCompleted', 'a')
    .event(topics.notificationState.name, 'NotificationState', 'a')
    .after(100)
    .offsets(GROUP, OUTCOMES, 0, '5')
    .offsets(GROUP, OUTCOMES, 1, '3')
    .offsets(GROUP, OUTCOMES, 2, null)
    .counter(GROUP, DUPLICATES, labels, 2);
}

/** Reset to 0, then read to the end again; the counter moves by `suppressed`. */
function replayed(given: Given, suppressed = 8): Given {
  return given
    .after(500)
    .offsets(GROUP, OUTCOMES, 0, '0', '5')
    .offsets(GROUP, OUTCOMES, 1, '0', '3')
    .offsets(GROUP, OUTCOMES, 2, null)
    .after(1_000)
    .offsets(GROUP, OUTCOMES, 0, '5')
    .offsets(GROUP, OUTCOMES, 1, '3')
    .offsets(GROUP, OUTCOMES, 2, null)
    .counter(GROUP, DUPLICATES, labels, 2 + suppressed);
}

describe('replay verdict', () => {
  it('passes: offsets back by 8, read again, 8 duplicates suppressed, no outcome or email', () => {
    const judged = replayVerdict(replayed(standing()).facts);
    expect(failing(judged)).toEqual([]);
    expect(judged.summary).toBe(
      '8 outcomes replayed by notification-service, 8 duplicates suppressed, 0 emails sent again',
    );
  });

  it('fails when replayed events were not all recognised as duplicates', () => {
    expect(failing(replayVerdict(replayed(standing(), 5).facts))).toEqual([
      'duplicates suppressed rose by the replayed records',
    ]);
  });

  it('counts records, not offsets, once the run has counted them (exactly-once: markers take offsets)', () => {
    // Offsets back by 8, of which 2 are commit markers: 6 records read again.
    const given = standing()
      .after(500)
      .offsets(GROUP, OUTCOMES, 0, '0', '5')
      .offsets(GROUP, OUTCOMES, 1, '0', '3')
      .recordCount(OUTCOMES, 6)
      .after(1_000)
      .offsets(GROUP, OUTCOMES, 0, '5')
      .offsets(GROUP, OUTCOMES, 1, '3');
    expect(failing(replayVerdict(given.counter(GROUP, DUPLICATES, labels, 2 + 6).facts))).toEqual(
      [],
    );
    expect(replayVerdict(given.facts).summary).toMatch(/^6 outcomes replayed/);
    const offsetsCounted = replayed(standing(), 6);
    expect(failing(replayVerdict(offsetsCounted.facts))).toEqual([
      'duplicates suppressed rose by the replayed records',
    ]);
  });

  it('fails when the replay sent an email again or wrote a second outcome', () => {
    const emailed = replayed(standing()).event(
      topics.notificationState.name,
      'NotificationState',
      'a',
    );
    expect(failing(replayVerdict(emailed.facts))).toEqual([
      'no new email (nothing written to notification-service.state.v1 after the reset)',
    ]);
    const twice = replayed(standing()).event(OUTCOMES, 'OrderCompleted', 'a');
    expect(failing(replayVerdict(twice.facts))).toEqual(['no order got a second outcome']);
  });

  it('is not passed before the reset, nor before the group read everything again', () => {
    expect(failing(replayVerdict(standing().facts))).toContain(
      'notification-service committed offsets on orders.outcome.v1 moved back',
    );
    const midway = standing().after(500).offsets(GROUP, OUTCOMES, 0, '0', '5').after(500);
    midway.offsets(GROUP, OUTCOMES, 0, '2', '5');
    expect(failing(replayVerdict(midway.facts))).toContain(
      'notification-service read them all again',
    );
  });
});

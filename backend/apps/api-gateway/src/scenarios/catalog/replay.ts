import type { Scenario } from '../scenario.js';
import { check, judgement } from '../verdict.js';

export const replay: Scenario = {
  id: 'replay',
  title: 'Replay: read history again, change nothing',
  concept:
    'A topic keeps its records after they are read; a consumer group only keeps a position in ' +
    'it, the committed offset. Moving that offset back makes the group read history again. ' +
    'Because every service remembers which events it applied, the replayed events are recognised ' +
    'and suppressed: counters rise, no order gets a second outcome, no email goes out twice.',
  summary:
    'Pauses the notification-service group, resets it to the earliest offsets, resumes it, then ' +
    'expects its duplicates-suppressed counter to rise by the replayed events, no second outcome ' +
    'and no new email.',
  faults: [],
  needs:
    'pausing a consumer group through Kafka (POST /explorer/groups/:id/reset with pause: true), ' +
    'which this gateway does not have yet',
  run() {
    return Promise.reject(new Error('replay needs the group pause, which is not available'));
  },
  verdict: () =>
    judgement('not available here', [check('the group can be paused', false, 'no pause')]),
};

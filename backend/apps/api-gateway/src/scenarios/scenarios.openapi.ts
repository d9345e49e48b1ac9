import { SCENARIO_IDS } from './scenario.js';

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema) => ({ content: { 'application/json': { schema } } });
const error = (description: string) => ({ description, ...json(ref('Error')) });
const string = { type: 'string' };
const dateTime = { type: 'string', format: 'date-time' };
const strings = { type: 'array', items: string };
const scenarioId = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { ...string, enum: [...SCENARIO_IDS] },
};

/** The schemas of the scenario endpoints (merged into openapi.ts). */
export const scenarioSchemas: Record<string, Schema> = {
  Scenario: {
    type: 'object',
    required: ['id', 'title', 'concept', 'summary', 'faults', 'manualSteps'],
    properties: {
      id: { ...string, enum: [...SCENARIO_IDS] },
      title: string,
      concept: { ...string, description: 'The Kafka concept it teaches, for a learner' },
      summary: { ...string, description: 'What a run does and expects' },
      faults: { ...strings, description: 'Fault switches a run sets, and restores at its end' },
      manualSteps: {
        ...strings,
        description:
          'What the learner does by hand while the run watches (empty: none). `scaling` and ' +
          '`broker-failure` have steps only when the gateway has no lab (LAB_URL, served by ' +
          '`npm start`): with one, the run starts and stops the instance, or Kafka, itself.',
      },
    },
  },
  ScenarioRun: {
    type: 'object',
    required: ['runId', 'scenario', 'status', 'startedAt', 'log', 'orders', 'verdict'],
    properties: {
      runId: { ...string, format: 'uuid' },
      scenario: { ...string, enum: [...SCENARIO_IDS] },
      status: { ...string, enum: ['running', 'passed', 'failed'] },
      startedAt: dateTime,
      endedAt: dateTime,
      log: {
        type: 'array',
        items: { type: 'object', properties: { at: dateTime, text: string } },
      },
      orders: { ...strings, description: 'The orders the run placed' },
      manualSteps: {
        ...strings,
        description: "The scenario's manual steps when the run needs them (no lab), else empty",
      },
      verdict: {
        type: 'object',
        description:
          'Computed from what is on the topics and what Kafka and the services answer (records, ' +
          'committed offsets, log ends, group members, counters, /health, a refused order), never ' +
          'from what the runner did. While ' +
          'the run goes on, a check that does not hold yet is pending (null).',
        properties: {
          passed: { type: 'boolean', nullable: true },
          summary: {
            ...string,
            example:
              '4 retries on orders.retry.v1, gaps 1.0 s, 2.1 s, 4.2 s, 8.1 s; 1 dead letter; redriven; order completed 17.3 s after it was placed',
            description:
              'e.g. for scaling: "payment-service: 1 → 2 members, partitions 0, 2 of orders.outcome.v1 and orders.v1 moved to payment-service#2; 2 → 1 after it left; 21 orders, 21 outcomes"',
          },
          checks: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                name: { ...string, example: 'exactly one OrderCompleted on orders.outcome.v1' },
                passed: { type: 'boolean', nullable: true },
                detail: { ...string, example: 'OrderCompleted at orders.outcome.v1[1]@7' },
              },
            },
          },
        },
      },
    },
  },
};

/** The scenario endpoints (merged into openapi.ts). */
export const scenarioPaths: Record<string, Record<string, unknown>> = {
  '/scenarios': {
    get: {
      tags: ['scenarios'],
      summary: 'The scenarios: concept, what a run does, its fault switches and manual steps',
      responses: {
        200: {
          description: 'The catalogue',
          ...json({
            type: 'object',
            properties: { scenarios: { type: 'array', items: ref('Scenario') } },
          }),
        },
      },
    },
  },
  '/scenarios/{id}/runs': {
    post: {
      tags: ['scenarios'],
      summary: 'Start a run; it goes on in the background',
      description:
        'One run at a time (runs share the fault switches). The run restores the switches it ' +
        'changed, resumes the groups it paused, stops the instances it had the lab start and ' +
        'starts Kafka again if it had the lab stop it, however it ends.',
      parameters: [scenarioId],
      responses: {
        202: {
          description: 'Started',
          ...json({ type: 'object', properties: { runId: { ...string, format: 'uuid' } } }),
        },
        400: error('Unknown scenario id'),
        409: error('A run is in progress (`run_in_progress`, with its `runId`)'),
        503: error('The gateway is still reading its topics (`read_model_starting`)'),
      },
    },
  },
  '/scenarios/{id}/runs/latest': {
    get: {
      tags: ['scenarios'],
      summary: 'The latest run of a scenario, with its live verdict',
      parameters: [scenarioId],
      responses: {
        200: { description: 'The run', ...json(ref('ScenarioRun')) },
        400: error('Unknown scenario id'),
        404: error('Never run since the gateway started'),
      },
    },
  },
  '/scenarios/runs/{runId}': {
    get: {
      tags: ['scenarios'],
      summary: 'One run, with its live verdict',
      parameters: [
        { name: 'runId', in: 'path', required: true, schema: { ...string, format: 'uuid' } },
      ],
      responses: {
        200: { description: 'The run', ...json(ref('ScenarioRun')) },
        400: error('Not a run id'),
        404: error('Unknown (runs are kept in memory, the last 50)'),
      },
    },
  },
};

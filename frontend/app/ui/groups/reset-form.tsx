'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { resetOffsets } from '../../lib/actions';
import type { ApiError } from '../../lib/api';
import type { ResetRequest, ResetResult, ResetTarget } from '../../lib/definitions';
import { resetOffsetsCommand, type ResetTo } from '../../lib/kafka-commands';
import { useApiUrl } from '../../lib/hooks';
import { RadioRow } from '../radio-row';
import { KafkaCommand } from '../command';
import { useBootstrap } from '../explorer/cluster';
import { ErrorState } from '../states';

type Kind = 'earliest' | 'latest' | 'timestamp' | 'offset' | 'shift-by';

function localMinutesAgo(minutes: number): string {
  const at = new Date(Date.now() - minutes * 60_000);
  return new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
}

function targetOf(
  kind: Kind,
  value: { time: string; offset: string; shift: string },
): { api: ResetTarget; tool: ResetTo } {
  switch (kind) {
    case 'earliest':
      return { api: 'earliest', tool: { to: 'earliest' } };
    case 'latest':
      return { api: 'latest', tool: { to: 'latest' } };
    case 'timestamp': {
      const ms = new Date(value.time).getTime();
      return { api: { timestamp: ms }, tool: { to: 'timestamp', timestamp: ms } };
    }
    case 'offset':
      return {
        api: { offset: value.offset || '0' },
        tool: { to: 'offset', offset: value.offset || '0' },
      };
    case 'shift-by': {
      const n = Number(value.shift) || 0;
      return { api: { shiftBy: n }, tool: { to: 'shift-by', shiftBy: n } };
    }
  }
}

function PreviewTable({ result }: { result: ResetResult }) {
  return (
    <div className="table-wrap" tabIndex={0}>
      <table data-testid="reset-preview">
        <caption className="visually-hidden">Committed offsets before and after the reset</caption>
        <thead>
          <tr>
            <th scope="col">Topic</th>
            <th scope="col" className="num">
              Partition
            </th>
            <th scope="col" className="num">
              Before
            </th>
            <th scope="col" className="num">
              After
            </th>
            <th scope="col" className="num">
              Records to read again
            </th>
          </tr>
        </thead>
        <tbody>
          {result.partitions.map((p) => {
            const delta = p.before !== null ? BigInt(p.before) - BigInt(p.after) : null;
            return (
              <tr
                key={`${p.topic}:${p.partition}`}
                data-testid="reset-row"
                data-topic={p.topic}
                data-partition={p.partition}
                data-before={p.before ?? ''}
                data-after={p.after}
              >
                <td>{p.topic}</td>
                <td className="num">{p.partition}</td>
                <td className="num">{p.before ?? '–'}</td>
                <td className="num">{p.after}</td>
                <td className="num">
                  {delta === null
                    ? '–'
                    : delta > 0n
                      ? delta.toString()
                      : delta < 0n
                        ? `skips ${(-delta).toString()}`
                        : '0'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function ResetForm({
  groupId,
  topics,
  members,
}: {
  groupId: string;
  topics: string[];
  members: number;
}) {
  const base = useApiUrl();
  const bootstrap = useBootstrap();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<Kind>('earliest');
  const [time, setTime] = useState(() => localMinutesAgo(10));
  const [offset, setOffset] = useState('0');
  const [shift, setShift] = useState('-10');
  const [chosen, setChosen] = useState<string[]>([]);
  const [preview, setPreview] = useState<{ result: ResetResult; request: string } | null>(null);

  const target = targetOf(kind, { time, offset, shift });
  const request: Omit<ResetRequest, 'dryRun'> = {
    to: target.api,
    ...(chosen.length > 0 ? { topics: chosen } : {}),
  };
  const requestKey = JSON.stringify(request);

  const mutation = useMutation<ResetResult, ApiError, ResetRequest>({
    mutationFn: (body) => resetOffsets(base, groupId, body),
    onSuccess: (result) => {
      if (result.dryRun) setPreview({ result, request: requestKey });
      else {
        setPreview(null);
        void queryClient.invalidateQueries({ queryKey: [base, 'group', groupId] });
      }
    },
  });
  const last = mutation.data;
  const groupActive =
    mutation.isError && mutation.error.status === 409 && mutation.error.code === 'group_active';
  const previewCurrent = preview !== null && preview.request === requestKey;

  const dryRun = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate({ ...request, dryRun: true });
  };

  return (
    <section className="card stack" aria-labelledby="reset-title">
      <h2 id="reset-title">Reset offsets</h2>
      <p className="small">
        Moves the group&apos;s committed offsets: back to replay history (idempotent consumers
        suppress the duplicates), or forward to skip it. First a dry run shows before and after per
        partition; nothing changes until you apply.
      </p>
      <form onSubmit={dryRun} className="stack">
        <fieldset>
          <legend>Reset to</legend>
          <RadioRow
            name="reset-kind"
            options={
              [
                ['earliest', 'earliest'],
                ['latest', 'latest'],
                ['timestamp', 'a time'],
                ['offset', 'an offset'],
                ['shift-by', 'shift by N'],
              ] as const
            }
            value={kind}
            onChange={setKind}
          />
          {kind === 'timestamp' ? (
            <div className="field" style={{ marginTop: '0.5rem' }}>
              <label htmlFor="reset-time">Time (your local time)</label>
              <input
                id="reset-time"
                type="datetime-local"
                step={1}
                value={time}
                onChange={(e) => setTime(e.target.value)}
              />
            </div>
          ) : null}
          {kind === 'offset' ? (
            <div className="field" style={{ marginTop: '0.5rem' }}>
              <label htmlFor="reset-offset">Offset (every chosen partition)</label>
              <input
                id="reset-offset"
                inputMode="numeric"
                value={offset}
                onChange={(e) => setOffset(e.target.value.replace(/\D/g, ''))}
              />
            </div>
          ) : null}
          {kind === 'shift-by' ? (
            <div className="field" style={{ marginTop: '0.5rem' }}>
              <label htmlFor="reset-shift">
                Shift by <span className="field-hint">negative goes back</span>
              </label>
              <input
                id="reset-shift"
                inputMode="numeric"
                value={shift}
                onChange={(e) => setShift(e.target.value.replace(/[^\d-]/g, ''))}
              />
            </div>
          ) : null}
        </fieldset>
        {topics.length > 0 ? (
          <fieldset>
            <legend>Topics (none chosen: all of the group&apos;s)</legend>
            <div className="radio-row">
              {topics.map((topic) => (
                <label key={topic}>
                  <input
                    type="checkbox"
                    checked={chosen.includes(topic)}
                    onChange={(e) =>
                      setChosen((previous) =>
                        e.target.checked
                          ? [...previous, topic]
                          : previous.filter((t) => t !== topic),
                      )
                    }
                  />
                  {topic}
                </label>
              ))}
            </div>
          </fieldset>
        ) : null}
        <div className="row">
          <button type="submit" className="button" disabled={mutation.isPending}>
            Preview (dry run)
          </button>
          <button
            type="button"
            className="button-danger"
            disabled={!previewCurrent || mutation.isPending}
            onClick={() => mutation.mutate({ ...request, dryRun: false })}
          >
            Apply
          </button>
          {!previewCurrent ? (
            <span className="small muted">
              Apply is enabled once a dry run of these settings is shown.
            </span>
          ) : null}
        </div>
      </form>

      <KafkaCommand
        label="With Kafka’s tools (dry run, then execute)"
        command={`${resetOffsetsCommand(bootstrap, { groupId, topics: chosen, target: target.tool, execute: false })}\n${resetOffsetsCommand(bootstrap, { groupId, topics: chosen, target: target.tool, execute: true })}`}
      />

      {groupActive ? (
        <div className="notice" role="alert" data-testid="group-active">
          <p>
            <strong>Kafka refuses to move this group&apos;s offsets while it has members</strong> (
            {members} now). A member would go on committing its own positions over the new ones, so
            the broker only accepts a reset of an empty group: <code>kafka-consumer-groups.sh</code>{' '}
            says the same.
          </p>
          <p>
            The gateway can pause the group&apos;s consumers around the reset: it publishes a pause
            for the group on the control topic, every instance leaves the group, the offsets are
            reset, and the consumers resume from the new positions.
          </p>
          <button
            type="button"
            className="button"
            disabled={mutation.isPending}
            onClick={() =>
              mutation.mutate({
                ...request,
                dryRun: mutation.variables?.dryRun ?? false,
                pause: true,
              })
            }
          >
            Pause the consumers around the reset
          </button>
        </div>
      ) : mutation.isError ? (
        <ErrorState error={mutation.error} apiUrl={base} what="the reset" />
      ) : null}

      {mutation.isPending ? (
        <p role="status">Working… (a reset with a pause waits for the group to empty)</p>
      ) : null}

      {previewCurrent && preview ? (
        <div className="stack" data-testid="dry-run">
          <h3>Dry run: nothing changed yet</h3>
          <PreviewTable result={preview.result} />
          {preview.result.command ? (
            <KafkaCommand
              label="The gateway ran the equivalent of"
              command={preview.result.command}
            />
          ) : null}
        </div>
      ) : null}
      {last && !last.dryRun ? (
        <div className="stack" data-testid="reset-applied">
          <p className="success" role="status">
            {last.applied ? 'Applied.' : 'Not applied.'}{' '}
            {last.paused ? 'The consumers were paused around it and resumed.' : ''}
          </p>
          <PreviewTable result={last} />
          {last.command ? (
            <KafkaCommand label="The gateway ran the equivalent of" command={last.command} />
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

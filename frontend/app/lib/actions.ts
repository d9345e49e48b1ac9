// Changes sent to the gateway from the browser (the gateway refuses them from other origins).
import { requestJson } from './api';
import type {
  Faults,
  PageviewRequest,
  PlacedOrder,
  PlaceOrderRequest,
  Produced,
  ProduceRequest,
  ResetRequest,
  ResetResult,
} from './definitions';

export const placeOrder = (base: string, order: PlaceOrderRequest) =>
  requestJson<PlacedOrder>(base, '/orders', { method: 'POST', body: order });

export const setFaults = (base: string, faults: Partial<Faults>) =>
  requestJson<Faults>(base, '/faults', { method: 'PUT', body: faults });

export const redrive = (base: string, dlqOffset: number) =>
  requestJson<unknown>(base, `/dlq/${dlqOffset}/redrive`, { method: 'POST' });

export const sendPageview = (base: string, pageview: PageviewRequest) =>
  requestJson<unknown>(base, '/pageviews', { method: 'POST', body: pageview });

export const produceMessage = (base: string, topic: string, message: ProduceRequest) =>
  requestJson<Produced>(base, `/explorer/topics/${encodeURIComponent(topic)}/messages`, {
    method: 'POST',
    body: message,
  });

export const resetOffsets = (base: string, groupId: string, request: ResetRequest) =>
  requestJson<ResetResult>(base, `/explorer/groups/${encodeURIComponent(groupId)}/reset`, {
    method: 'POST',
    body: request,
  });

export const pauseGroup = (base: string, groupId: string) =>
  requestJson<{ groupId: string; paused: boolean }>(
    base,
    `/explorer/groups/${encodeURIComponent(groupId)}/pause`,
    { method: 'POST' },
  );

export const resumeGroup = (base: string, groupId: string) =>
  requestJson<{ groupId: string; paused: boolean }>(
    base,
    `/explorer/groups/${encodeURIComponent(groupId)}/resume`,
    { method: 'POST' },
  );

export const startScenario = (base: string, scenarioId: string) =>
  requestJson<{ runId: string }>(base, `/scenarios/${encodeURIComponent(scenarioId)}/runs`, {
    method: 'POST',
  });

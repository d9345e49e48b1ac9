// Reads from the gateway: plain functions of the gateway's base URL, used by server components
// (with API_URL) and by the client's queries (with the URL the root layout handed down).
import { queryString, requestJson } from './api';
import type {
  BrowseFrom,
  ClusterInfo,
  DeadLetterPage,
  DlqStats,
  Faults,
  GroupDetail,
  GroupSummary,
  MessagePage,
  OrderPage,
  OrderView,
  Product,
  ScenarioRun,
  ScenarioSummary,
  SystemHealth,
  TopicDetail,
  TopicSummary,
  TopProducts,
} from './definitions';

export const fetchProducts = (base: string) => requestJson<Product[]>(base, '/products');

export const fetchOrders = (base: string, limit = 50, offset = 0) =>
  requestJson<OrderPage>(base, `/orders${queryString({ limit, offset })}`);

export const fetchOrder = (base: string, orderId: string) =>
  requestJson<OrderView>(base, `/orders/${encodeURIComponent(orderId)}`);

export const fetchSystemHealth = (base: string) =>
  requestJson<SystemHealth>(base, '/system/health');

export const fetchTopProducts = (base: string) =>
  requestJson<TopProducts>(base, '/analytics/top-products');

export const fetchDeadLetters = (base: string, limit = 100) =>
  requestJson<DeadLetterPage>(base, `/dlq${queryString({ limit })}`);

export const fetchDlqStats = (base: string) => requestJson<DlqStats>(base, '/metrics/dlq');

export const fetchFaults = (base: string) => requestJson<Faults>(base, '/faults');

export const fetchCluster = (base: string) => requestJson<ClusterInfo>(base, '/explorer/cluster');

export const fetchTopics = (base: string) =>
  requestJson<{ topics: TopicSummary[] }>(base, '/explorer/topics');

export const fetchTopic = (base: string, name: string) =>
  requestJson<TopicDetail>(base, `/explorer/topics/${encodeURIComponent(name)}`);

export interface BrowseQuery {
  partition?: number | null;
  from: BrowseFrom;
  offset?: string;
  timestamp?: string;
  limit?: number;
  key?: string;
}

export const fetchMessages = (base: string, topic: string, query: BrowseQuery) =>
  requestJson<MessagePage>(
    base,
    `/explorer/topics/${encodeURIComponent(topic)}/messages${queryString({
      partition: query.partition ?? undefined,
      from: query.from,
      offset: query.from === 'offset' ? query.offset : undefined,
      timestamp: query.from === 'timestamp' ? query.timestamp : undefined,
      limit: query.limit,
      key: query.key,
    })}`,
  );

export const fetchGroups = (base: string) =>
  requestJson<{ groups: GroupSummary[] }>(base, '/explorer/groups');

export const fetchGroup = (base: string, groupId: string) =>
  requestJson<GroupDetail>(base, `/explorer/groups/${encodeURIComponent(groupId)}`);

export const fetchScenarios = (base: string) =>
  requestJson<{ scenarios: ScenarioSummary[] }>(base, '/scenarios');

export const fetchRun = (base: string, runId: string) =>
  requestJson<ScenarioRun>(base, `/scenarios/runs/${encodeURIComponent(runId)}`);

export const fetchLatestRun = (base: string, scenarioId: string) =>
  requestJson<ScenarioRun>(base, `/scenarios/${encodeURIComponent(scenarioId)}/runs/latest`);

// The gateway's JSON, as the dashboard reads it (see the contract in the gateway's OpenAPI document).
// Offsets are strings where the explorer API serves them as strings (bigint inside the gateway).

export interface ApiErrorBody {
  error: string;
  message: string;
  issues?: { field: string; message: string }[];
}

export interface Product {
  id: string;
  name: string;
  price: number;
  stock: number;
}

export type OrderStatus = 'PENDING' | 'COMPLETED' | 'CANCELLED';

export interface OrderLine {
  productId: string;
  quantity: number;
  unitPrice?: number;
}

export type TimelineKind = 'event' | 'retry' | 'dead-letter';

export interface TimelineEntry {
  type: string;
  eventId?: string;
  topic: string;
  partition: number;
  offset: number | string;
  timestamp: string;
  kind?: TimelineKind;
  key?: string;
  causationId?: string;
  waitMs?: number;
  processMs?: number;
  compensates?: string;
  attempt?: number;
  maxAttempts?: number;
  notBefore?: string;
  error?: string;
  group?: string;
  reason?: string;
}

export interface OrderView {
  orderId: string;
  status: OrderStatus;
  reason?: string;
  reasons?: string[];
  details?: string[];
  payment?: 'AUTHORIZED' | 'DECLINED' | 'VOIDED';
  inventory?: 'RESERVED' | 'REJECTED' | 'RELEASED';
  items: OrderLine[];
  total: number;
  customerEmail: string;
  createdAt: string;
  updatedAt: string;
  timeline: TimelineEntry[];
}

export interface OrderPage {
  total: number;
  limit: number;
  offset: number;
  orders: OrderView[];
}

export interface PlaceOrderRequest {
  customerEmail: string;
  items: { productId: string; quantity: number }[];
  cardNumber: string;
}

export interface PlacedOrder {
  orderId: string;
  status: OrderStatus;
}

/** One record of GET /events (server-sent). */
export interface StreamedRecord {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  timestamp: string;
  type: string | null;
  headers: Record<string, string>;
  event: { id: string; type: string; orderId?: string; data?: unknown } | null;
  invalid: { reason: string; error: string; raw: string } | null;
}

export interface ProductRank {
  productId: string;
  quantity: number;
  revenue: number;
}

export interface TopProducts {
  windowStart: string;
  windowEnd: string;
  byQuantity: ProductRank[];
  byRevenue: ProductRank[];
  pageviews: { total: number; byPage: Record<string, number> };
  eventId: string;
  occurredAt: string;
}

export interface DeadLetter {
  offset: number;
  key: string | null;
  reason: string;
  error: string;
  sourceTopic: string | null;
  sourcePartition: number | null;
  sourceOffset: number | null;
  group: string | null;
  at: string;
  eventType: string | null;
  retries: number | null;
  valuePreview: string;
  valueBytes: number;
  redrivenFrom: number | null;
  redriven: boolean;
  /** Served by newer gateways: every header of the dead-letter record. */
  headers?: Record<string, string>;
}

export interface DeadLetterPage {
  total: number;
  entries: DeadLetter[];
}

export interface DlqStats {
  total: number;
  byReason: Record<string, number>;
  bySourceTopic: Record<string, number>;
  byGroup: Record<string, number>;
  redriven: number;
  oldest: string | null;
  newest: string | null;
}

export interface Faults {
  inventoryFailureRate: number;
  paymentLimitCents: number;
  declinedCards: string[];
}

export type ServiceStatus = 'up' | 'down' | 'starting';

export interface SystemHealth {
  kafka: { status: 'up' | 'down'; brokers: string[] };
  services: { name: string; url: string; status: ServiceStatus; detail?: string }[];
}

export interface ClusterInfo {
  brokers: string[];
  nodes: { id: number; host: string; port: number }[];
  controller?: number;
}

export interface TopicSummary {
  name: string;
  partitions: number;
  internal: boolean;
  keyedBy: string;
  description: string;
  events: string[];
  messages: number;
  replicationFactor: number;
}

export interface PartitionInfo {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
  low: string;
  high: string;
  messages: number;
}

export interface GroupCursor {
  groupId: string;
  state: string;
  offsets: { partition: number; committed: string | null; lag: number | null }[];
}

export interface TopicDetail {
  name: string;
  keyedBy: string;
  description: string;
  internal: boolean;
  events: string[];
  configs: Record<string, string>;
  partitions: PartitionInfo[];
  groups: GroupCursor[];
}

export type BrowseFrom = 'earliest' | 'latest' | 'offset' | 'timestamp';

export interface TopicMessage {
  partition: number;
  offset: string;
  key: string | null;
  timestamp: string;
  headers: Record<string, string>;
  value: string;
  json: unknown;
  size: number;
}

export interface MessagePage {
  topic: string;
  partition: number | null;
  from: BrowseFrom;
  messages: TopicMessage[];
  next: string | null;
}

export interface ProduceRequest {
  key?: string | null;
  value: string;
  headers?: Record<string, string>;
  partition?: number;
}

export interface Produced {
  topic: string;
  partition: number;
  offset: string;
  timestamp: string;
}

export interface GroupSummary {
  groupId: string;
  state: string;
  protocolType: string;
  members: number;
  topics: string[];
  lag: number | null;
  paused: boolean;
}

export interface GroupMember {
  memberId: string;
  clientId: string;
  host: string;
  assignments: { topic: string; partitions: number[] }[];
}

export interface GroupOffset {
  topic: string;
  partition: number;
  committed: string | null;
  logEnd: string;
  lag: number | null;
}

export interface LagSample {
  at: string;
  lag: number;
  byTopic: Record<string, number>;
}

export interface Rebalance {
  at: string;
  generation?: number;
  joined: string[];
  left: string[];
  moved: { topic: string; partition: number; from: string | null; to: string | null }[];
}

export interface GroupDetail {
  groupId: string;
  state: string;
  protocol: string;
  paused: boolean;
  members: GroupMember[];
  offsets: GroupOffset[];
  lagHistory: LagSample[];
  rebalances: Rebalance[];
}

export type ResetTarget =
  | 'earliest'
  | 'latest'
  | { timestamp: string | number }
  | { offset: number | string }
  | { shiftBy: number };

export interface ResetRequest {
  to: ResetTarget;
  topics?: string[];
  dryRun: boolean;
  pause?: boolean;
}

export interface ResetResult {
  groupId: string;
  dryRun: boolean;
  applied: boolean;
  partitions: { topic: string; partition: number; before: string | null; after: string }[];
  paused?: boolean;
  command: string;
}

export interface ScenarioSummary {
  id: string;
  title: string;
  concept: string;
  summary: string;
  faults: string[];
}

export type RunStatus = 'running' | 'passed' | 'failed';

export interface VerdictCheck {
  name: string;
  passed: boolean | null;
  detail: string;
}

export interface ScenarioRun {
  runId: string;
  scenario: string;
  status: RunStatus;
  startedAt: string;
  endedAt?: string;
  log: { at: string; text: string }[];
  orders: string[];
  verdict: { passed: boolean | null; summary: string; checks: VerdictCheck[] };
}

export interface PageviewRequest {
  page: string;
  sessionId: string;
  productId?: string;
}

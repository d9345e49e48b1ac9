import { topics } from '@kafkadog/contracts';
import { KafkadogError, retryGroupId, type EventMeta, type TopicTail } from '@kafkadog/kafka';
import {
  createOrderProcessor,
  followFaultSwitches,
  HealthRegistry,
  KafkaClients,
  runSingleActive,
  type ActiveRole,
  type OrderProcessor,
  type SingleActive,
} from '@kafkadog/service';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { INVENTORY_CONFIG, type InventoryConfig } from './inventory.config.js';
import type { InventoryInput, Reservation } from './inventory.decider.js';
import { inventoryDecider, isInventoryInput, OrderInventory } from './inventory.processing.js';
import { StockLedger, type StockRow } from './stock-ledger.js';
import { StockPublisher } from './stock-publisher.js';

const GROUP_ID = 'inventory-service';

/**
 * Reserves stock for orders through the order processor (see `inventory.processing.ts`):
 * OrderPlaced → InventoryReserved | InventoryRejected, OrderCancelled → InventoryReleased when
 * reserved, OrderCompleted → sold. Per-order state in inventory-service.state.v1; the stock is a
 * view over all orders, published as StockChanged. Fails on purpose at the rate the latest
 * FaultsConfigured sets, so learners see retries with backoff and the DLQ.
 *
 * One instance decides at a time. The stock is global: an instance that decided for some orders
 * against a ledger missing the others' orders could oversell. So with several instances, the one
 * holding the lease (`inventory-service.lease`, see runSingleActive) is active and the others
 * are hot standbys that take over when it stops or dies.
 *
 * Taking over (or starting), in this order: wait until the previous holder has left the
 * processing groups (its last decision is written by then; a killed one is dropped by Kafka after
 * its session timeout); follow the fault switches until caught up; load the states and join the
 * group (processor.start); derive the stock; publish every product's stock.
 */
@Injectable()
export class InventoryService implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly #publisher: StockPublisher;
  #processor: OrderProcessor<OrderInventory, InventoryInput> | undefined;
  /** Folded from the stored states as they load and change: new at each start. */
  #ledger: StockLedger | undefined;
  #faults: TopicTail | undefined;
  /** Throws unless this instance surely holds the lease (set while active). */
  #fence: () => void = () => {
    throw new KafkadogError('NOT_LEASE_HOLDER', 'inventory processing is not running here');
  };
  #failureRate: number;
  #active: SingleActive | undefined;
  #ready = false;

  constructor(
    private readonly kafka: KafkaClients,
    private readonly health: HealthRegistry,
    @Inject(INVENTORY_CONFIG) private readonly config: InventoryConfig,
  ) {
    this.#failureRate = config.failureRate;
    this.#publisher = new StockPublisher(
      () => this.#ledger?.stock,
      (events) => kafka.producer.sendMany(events.map((event) => kafka.producer.eventRecord(event))),
      kafka.logger,
      () => this.#fence(),
    );
  }

  get ready(): boolean {
    return this.#ready;
  }

  /** active: holds the lease and decides; standby: another instance does; joining: neither yet. */
  get role(): ActiveRole {
    return this.#active?.role ?? 'joining';
  }

  /** Every catalog product's stock: initial = available + reserved + sold. */
  stock(): StockRow[] {
    if (!this.#ready || !this.#ledger) {
      throw new KafkadogError('NOT_READY', 'the stock is not loaded yet', { retriable: true });
    }
    return this.#ledger.rows();
  }

  /** What the order's stored state says inventory did for it. */
  reservationOf(orderId: string): Reservation | undefined {
    return this.#processor?.stateOf(orderId)?.reservation;
  }

  get failureRate(): number {
    return this.#failureRate;
  }

  onApplicationBootstrap(): void {
    this.#active = runSingleActive(this.kafka, {
      name: GROUP_ID,
      what: 'inventory processing',
      handoverGroups: [GROUP_ID, retryGroupId(GROUP_ID)],
      start: (_signal, fence) => this.#start(fence),
      stop: () => this.#stop(),
    });
    this.health.register('state', () => this.#active?.status ?? 'starting');
    this.health.register('consumers', () => (this.#processor?.paused ? 'paused' : 'up'));
  }

  async onApplicationShutdown(): Promise<void> {
    // Finishes the record in progress and leaves the groups before the lease goes to a standby.
    await this.#active?.close();
    await this.#publisher.close();
  }

  async #start(fence: () => void): Promise<void> {
    try {
      await this.#startSteps(fence);
    } catch (error) {
      await this.#stop();
      throw error;
    }
  }

  async #stop(): Promise<void> {
    this.#ready = false;
    await this.#processor?.close();
    await this.#faults?.close();
    this.#processor = undefined;
    this.#faults = undefined;
    this.#ledger = undefined;
  }

  async #startSteps(fence: () => void): Promise<void> {
    const { logger } = this.kafka;
    this.#fence = fence;
    await this.kafka.admin.ensureTopics([
      topics.orders,
      topics.outcomes,
      topics.inventory,
      topics.retry,
      topics.dlq,
      topics.faults,
      topics.stock,
      topics.inventoryState,
    ]);

    this.#faults = await followFaultSwitches(this.kafka, {
      clientId: `${GROUP_ID}.faults`,
      apply: (setting) => {
        // A deleted setting: back to the rate the service was started with.
        const rate = setting?.inventoryFailureRate ?? this.config.failureRate;
        if (rate !== this.#failureRate) logger.info('inventory failure rate set', { rate });
        this.#failureRate = rate;
      },
    });
    // Before the first order: a configured failure rate must apply from the first event on.
    await this.#faults.caughtUp;

    const ledger = new StockLedger(this.config.products);
    this.#ledger = ledger;
    this.#processor = createOrderProcessor(this.kafka, {
      groupId: GROUP_ID,
      topics: [topics.orders, topics.outcomes],
      accepts: isInventoryInput,
      decider: inventoryDecider({
        stock: () => ledger.stock,
        onStockChanged: (productIds) => this.#publisher.changed(productIds),
      }),
      stateTopic: topics.inventoryState,
      stateSchema: OrderInventory,
      // The stock is what all orders hold (StockLedger): deleting a sold order's state would
      // put its units back on the shelf. Kept until sold units are counted per product.
      retireState: false,
      retry: this.config.retry,
      beforeDecide: (event, meta) => this.#maybeFail(event, meta),
      fence,
      onStateChanged: (_orderId, state, previous) => {
        ledger.move(previous?.reservation, state?.reservation);
      },
    });
    await this.#processor.start();

    this.#ready = true;
    logger.info('stock loaded', {
      available: ledger
        .rows()
        .map((row) => `${row.productId}=${row.available}`)
        .join(','),
    });
    // Once for every product at start: corrects any change a crash kept from being published.
    this.#publisher.changed(Object.keys(ledger.stock));
  }

  #maybeFail(event: InventoryInput, meta: EventMeta): void {
    if (event.type !== 'OrderPlaced') return;
    if (Math.random() >= this.#failureRate) return;
    throw new KafkadogError(
      'INVENTORY_UNAVAILABLE',
      `inventory unavailable (simulated, failure rate ${this.#failureRate}, attempt ${meta.attempt})`,
      { retriable: true },
    );
  }
}

/*
 * Records a trend point for each snapshot this replica publishes: the decorated store's `set` only returns when
 * the snapshot is published (a superseded run throws before), so exactly the publishing replica writes the point.
 * A failed trend write is logged and never costs the snapshot.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import type {
  SnapshotStore,
  SnapshotStoreGetOptions,
  SnapshotStoreHealth,
  SnapshotStoreSetOptions,
  StoredSnapshot,
} from '../snapshot/SnapshotStore';
import { FindingsTrendStore } from './FindingsTrendStore';
import { summarizeFindings } from './summarize';

export class TrendRecordingSnapshotStore implements SnapshotStore {
  readonly health?: () => SnapshotStoreHealth;
  readonly #inner: SnapshotStore;
  readonly #trend: FindingsTrendStore;
  readonly #logger: LoggerService;

  constructor(
    inner: SnapshotStore,
    trend: FindingsTrendStore,
    logger: LoggerService,
  ) {
    this.#inner = inner;
    this.#trend = trend;
    this.#logger = logger;
    if (inner.health) this.health = () => inner.health!();
  }

  get(options?: SnapshotStoreGetOptions): Promise<StoredSnapshot | undefined> {
    return this.#inner.get(options);
  }

  async set(
    value: StoredSnapshot,
    options?: SnapshotStoreSetOptions,
  ): Promise<void> {
    await this.#inner.set(value, options);
    try {
      await this.#trend.record(
        summarizeFindings(value.snapshot.generatedAt, value.findings),
      );
    } catch (error) {
      this.#logger.warn(`Findings trend point not recorded: ${error}`);
    }
  }
}

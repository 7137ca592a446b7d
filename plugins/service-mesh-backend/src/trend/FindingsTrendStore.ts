/*
 * The history of finding counts behind `GET /findings/trend`. The replica that publishes a snapshot records its
 * point (TrendRecordingSnapshotStore); every replica reads the shared table. `snapshot.store: memory` keeps the
 * history in this process. Both prune to the retention and the row cap on each write, so the history stays small.
 */
import type { FindingsTrendPoint } from '@internal/plugin-service-mesh-common';
import { Knex, TREND_TABLE } from '../snapshot/database/migrations';
import { FindingsTrendConfig } from './config';

export interface FindingsTrendStore {
  readonly retentionHours: number;
  record(point: FindingsTrendPoint): Promise<void>;
  /** The points generated at or after `sinceMs`, oldest first. */
  list(sinceMs: number): Promise<FindingsTrendPoint[]>;
}

const HOUR_MS = 3600_000;

export class InMemoryFindingsTrendStore implements FindingsTrendStore {
  readonly retentionHours: number;
  readonly #maxPoints: number;
  readonly #now: () => number;
  #points: FindingsTrendPoint[] = [];

  constructor(config: FindingsTrendConfig, now: () => number = Date.now) {
    this.retentionHours = config.retentionHours;
    this.#maxPoints = config.maxPoints;
    this.#now = now;
  }

  async record(point: FindingsTrendPoint): Promise<void> {
    const cutoff = this.#now() - this.retentionHours * HOUR_MS;
    this.#points = [...this.#points, point]
      .filter(p => Date.parse(p.at) >= cutoff)
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
      .slice(-this.#maxPoints);
  }

  async list(sinceMs: number): Promise<FindingsTrendPoint[]> {
    return this.#points.filter(p => Date.parse(p.at) >= sinceMs);
  }
}

type Counts = Omit<FindingsTrendPoint, 'at'>;

export class DatabaseFindingsTrendStore implements FindingsTrendStore {
  readonly retentionHours: number;
  readonly #maxPoints: number;
  readonly #knex: Knex;
  readonly #owner: string;
  readonly #now: () => number;

  /** The tables must exist (migrateSnapshotTables, which DatabaseSnapshotStore.create runs). */
  constructor(options: {
    knex: Knex;
    config: FindingsTrendConfig;
    owner: string;
    now?: () => number;
  }) {
    this.#knex = options.knex;
    this.retentionHours = options.config.retentionHours;
    this.#maxPoints = options.config.maxPoints;
    this.#owner = options.owner;
    this.#now = options.now ?? Date.now;
  }

  async record(point: FindingsTrendPoint): Promise<void> {
    const { at, ...counts } = point;
    await this.#knex(TREND_TABLE).insert({
      generated_at_ms: Date.parse(at),
      generated_at: at,
      written_by: this.#owner.slice(0, 255),
      counts: JSON.stringify(counts),
    });
    await this.#knex(TREND_TABLE)
      .where(
        'generated_at_ms',
        '<',
        this.#now() - this.retentionHours * HOUR_MS,
      )
      .delete();
    // The row cap: the newest `maxPoints` rows stay.
    const boundary = await this.#knex(TREND_TABLE)
      .select('id')
      .orderBy('id', 'desc')
      .offset(this.#maxPoints)
      .first();
    if (boundary) {
      await this.#knex(TREND_TABLE).where('id', '<=', boundary.id).delete();
    }
  }

  async list(sinceMs: number): Promise<FindingsTrendPoint[]> {
    const rows: Array<{ generated_at: string; counts: string }> =
      await this.#knex(TREND_TABLE)
        .select('generated_at', 'counts')
        .where('generated_at_ms', '>=', sinceMs)
        .orderBy([
          { column: 'generated_at_ms', order: 'asc' },
          { column: 'id', order: 'asc' },
        ]);
    return rows.map(row => ({
      at: row.generated_at,
      ...(JSON.parse(row.counts) as Counts),
    }));
  }
}

/*
 * The refresh run in progress, with a heartbeat: one row in the plugin's database. The run that holds it is the
 * only one allowed to publish (DatabaseSnapshotStore checks it in the publishing transaction); a run whose
 * heartbeat stopped can be declared dead ("reaped") by another replica, exactly once.
 */
import { Knex, LEASE_TABLE } from './database/migrations';

const LEASE_ID = 'refresh';

export interface LeaseState {
  runId: string;
  owner: string;
  /** Incremented by every heartbeat of the run. */
  beat: number;
  finished: boolean;
  startedAtMs: number;
  reapedBy?: string;
}

export interface RefreshLease {
  /** Starts a run: it replaces whatever run the row named, which can then no longer publish. */
  begin(runId: string, owner: string): Promise<void>;
  /** A heartbeat; false when the run no longer holds the lease (replaced or reaped). */
  beat(runId: string): Promise<boolean>;
  finish(runId: string): Promise<void>;
  read(): Promise<LeaseState | undefined>;
  /** Declares the run dead if it is still at this heartbeat; true for the one replica that did it. */
  reap(runId: string, beat: number, by: string): Promise<boolean>;
}

export class DatabaseRefreshLease implements RefreshLease {
  readonly #knex: Knex;
  readonly #now: () => number;

  constructor(knex: Knex, now: () => number = Date.now) {
    this.#knex = knex;
    this.#now = now;
  }

  async begin(runId: string, owner: string): Promise<void> {
    await this.#knex(LEASE_TABLE)
      .insert({
        id: LEASE_ID,
        run_id: runId,
        owner,
        beat: 0,
        finished: false,
        started_at_ms: this.#now(),
        reaped_by: null,
      })
      .onConflict('id')
      .merge();
  }

  async beat(runId: string): Promise<boolean> {
    const updated = await this.#knex(LEASE_TABLE)
      .where({ id: LEASE_ID, run_id: runId, finished: false })
      .increment('beat', 1);
    return updated === 1;
  }

  async finish(runId: string): Promise<void> {
    await this.#knex(LEASE_TABLE)
      .where({ id: LEASE_ID, run_id: runId })
      .update({ finished: true });
  }

  async read(): Promise<LeaseState | undefined> {
    const row = await this.#knex(LEASE_TABLE).where({ id: LEASE_ID }).first();
    if (!row) return undefined;
    return {
      runId: row.run_id,
      owner: row.owner,
      beat: Number(row.beat),
      finished: !!row.finished,
      startedAtMs: Number(row.started_at_ms),
      ...(row.reaped_by ? { reapedBy: row.reaped_by } : {}),
    };
  }

  async reap(runId: string, beat: number, by: string): Promise<boolean> {
    const updated = await this.#knex(LEASE_TABLE)
      .where({ id: LEASE_ID, run_id: runId, beat, finished: false })
      .update({ finished: true, reaped_by: by });
    return updated === 1;
  }
}

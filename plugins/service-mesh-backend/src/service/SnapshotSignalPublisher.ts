/*
 * Tells the browsers when a new snapshot lands: a broadcast on `service-mesh:snapshot` with `{ generatedAt }`
 * through Backstage's signals service. Every replica announces the snapshots it sees (its own refreshes and the
 * ones it loads from the shared store), so a browser connected to any replica hears of each; a duplicate from
 * two replicas costs the page one reload of an unchanged view.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import type { SignalsService } from '@backstage/plugin-signals-node';
import {
  SNAPSHOT_SIGNAL_CHANNEL,
  SnapshotSignal,
} from '@internal/plugin-service-mesh-common';
import type { MeshSnapshotService } from '../snapshot/MeshSnapshotService';

export interface SnapshotSignalPublisherOptions {
  snapshot: Pick<MeshSnapshotService, 'current'>;
  signals: Pick<SignalsService, 'publish'>;
  logger: LoggerService;
  /** How often the snapshot is looked at (a memory read). Default 1000 ms. */
  intervalMs?: number;
}

export class SnapshotSignalPublisher {
  readonly #options: SnapshotSignalPublisherOptions;
  #timer: NodeJS.Timeout | undefined;
  #last: string | undefined;
  #checking = false;

  constructor(options: SnapshotSignalPublisherOptions) {
    this.#options = options;
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.check().catch(() => undefined);
    }, this.#options.intervalMs ?? 1000);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Publishes once per snapshot not announced yet; nothing before the first refresh. */
  async check(): Promise<void> {
    if (this.#checking) return;
    this.#checking = true;
    try {
      const state = await this.#options.snapshot.current();
      const generatedAt = state.snapshot.generatedAt;
      if (state.pending || generatedAt === this.#last) return;
      this.#last = generatedAt;
      await this.#options.signals.publish<SnapshotSignal>({
        recipients: { type: 'broadcast' },
        channel: SNAPSHOT_SIGNAL_CHANNEL,
        message: { generatedAt },
      });
    } catch (error) {
      this.#options.logger.warn(`Snapshot signal not published: ${error}`);
    } finally {
      this.#checking = false;
    }
  }
}

/*
 * One refresh per interval across all replicas, and a quick takeover when the replica doing it dies.
 *
 * The refresh is a global task of Backstage's scheduler: replicas on one database claim each run with a ticket in
 * the scheduler's table, so exactly one of them reads the clusters per interval. A worker that dies mid-run keeps
 * its ticket until the task timeout expires *and* a scheduler janitor (once a minute per replica) clears it: one
 * to two minutes without refreshes. To do better, each run keeps a heartbeat in the refresh lease; every replica
 * watches it, and when a run's heartbeat has not moved for `takeoverAfterMs` one replica (the first to reap the
 * lease) cancels the dead run's ticket through the scheduler's API and triggers the task, which the next polling
 * replica claims. A run that was reaped but is in fact alive (a long pause) can no longer publish: the store only
 * publishes for the run that holds the lease.
 */
import {
  LifecycleService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { RefreshLease } from './RefreshLease';

export const REFRESH_TASK_ID = 'service-mesh:refresh-snapshot';

export interface RefreshRun {
  /** Aborted when the run lost its lease, timed out or the backend shuts down. */
  signal: AbortSignal;
  runId: string;
}

export interface RefreshCoordinatorOptions {
  scheduler: SchedulerService;
  lease: RefreshLease;
  logger: LoggerService;
  lifecycle?: LifecycleService;
  /** This replica, as named in the lease and the manifest. */
  owner: string;
  intervalSeconds: number;
  /** The scheduler task's timeout: its lock expires after this even without the takeover. */
  timeoutSeconds: number;
  /** A run whose heartbeat has not moved for this long is released by another replica; 0 disables it. */
  takeoverAfterSeconds: number;
}

/** Asks the replicas to refresh now; the service waits for the new snapshot. */
export interface RefreshTrigger {
  /** False when the refresh task is not scheduled (yet). */
  trigger(): Promise<boolean>;
  /** How long a triggered refresh may take before the caller gives up. */
  readonly waitTimeoutMs: number;
  /** Aborted when this replica shuts down: callers still waiting answer at once. */
  readonly shutdownSignal?: AbortSignal;
}

export class RefreshCoordinator implements RefreshTrigger {
  readonly #scheduler: SchedulerService;
  readonly #lease: RefreshLease;
  readonly #logger: LoggerService;
  readonly #owner: string;
  readonly #intervalSeconds: number;
  readonly #timeoutSeconds: number;
  readonly #takeoverAfterMs: number;
  readonly #tickMs: number;
  /** Runs of this replica in progress, with their abort controllers. */
  readonly #running = new Map<string, AbortController>();
  #scheduled = false;
  #watchdog: NodeJS.Timeout | undefined;
  #observed: { runId: string; beat: number; since: number } | undefined;
  #ticking = false;
  /** Logged once per outage: the watchdog runs every tick. */
  #tickFailing = false;
  readonly #shutdown = new AbortController();
  /** The runs of this replica in progress, to wait for at shutdown. */
  readonly #runs = new Set<Promise<void>>();

  constructor(options: RefreshCoordinatorOptions) {
    this.#scheduler = options.scheduler;
    this.#lease = options.lease;
    this.#logger = options.logger;
    this.#owner = options.owner;
    this.#intervalSeconds = options.intervalSeconds;
    this.#timeoutSeconds = options.timeoutSeconds;
    this.#takeoverAfterMs = options.takeoverAfterSeconds * 1000;
    this.#tickMs =
      this.#takeoverAfterMs > 0
        ? Math.min(5000, Math.max(250, this.#takeoverAfterMs / 4))
        : 5000;
    options.lifecycle?.addShutdownHook(() => this.shutdown());
  }

  get waitTimeoutMs(): number {
    // A run already in progress, then the triggered one, each bounded by the task timeout.
    return (
      2 * this.#timeoutSeconds * 1000 +
      Math.min(5, this.#intervalSeconds) * 1000
    );
  }

  /** Schedules the global refresh task and starts watching other replicas' runs. */
  async schedule(run: (run: RefreshRun) => Promise<void>): Promise<void> {
    await this.#scheduler.scheduleTask({
      id: REFRESH_TASK_ID,
      frequency: { seconds: this.#intervalSeconds },
      timeout: { seconds: this.#timeoutSeconds },
      scope: 'global',
      fn: signal => this.#run(signal, run),
    });
    this.#scheduled = true;
    if (this.#takeoverAfterMs > 0 && !this.#watchdog) {
      this.#watchdog = setInterval(() => this.#tick(), this.#tickMs);
      this.#watchdog.unref();
    }
  }

  async trigger(): Promise<boolean> {
    if (!this.#scheduled) return false;
    try {
      await this.#scheduler.triggerTask(REFRESH_TASK_ID);
    } catch (error) {
      const name = (error as Error)?.name;
      // Running right now: the caller waits for that run.
      if (name === 'ConflictError') return true;
      if (name === 'NotFoundError') return false;
      throw error;
    }
    return true;
  }

  get shutdownSignal(): AbortSignal {
    return this.#shutdown.signal;
  }

  /**
   * Hands a run in progress over at once instead of leaving it to the takeover on the other replicas: the run is
   * aborted (it publishes nothing), its lease ended, its scheduler lock released and the task triggered, so that
   * the next replica to check the task (every few seconds) starts a refresh now, not after the lease time.
   */
  async shutdown(): Promise<void> {
    this.#shutdown.abort();
    clearInterval(this.#watchdog);
    this.#watchdog = undefined;
    const handedOver = [...this.#running.entries()];
    for (const [runId, controller] of handedOver) {
      controller.abort(new Error('the backend is shutting down'));
      try {
        const state = await this.#lease.read();
        if (state?.runId === runId && !state.finished) {
          await this.#lease.finish(runId);
          await this.#scheduler.cancelTask(REFRESH_TASK_ID);
        }
      } catch {
        // Best effort: the other replicas take over anyway.
      }
    }
    if (handedOver.length === 0) return;
    // The aborted run ends quickly (every cluster request is cancelled); bounded in case one does not.
    await Promise.race([
      Promise.allSettled([...this.#runs]),
      new Promise(resolve => setTimeout(resolve, 5000).unref()),
    ]);
    try {
      await this.#scheduler.triggerTask(REFRESH_TASK_ID);
      this.#logger.info(
        'Handed the mesh refresh over to the other replicas (shutting down)',
      );
    } catch {
      // Another replica claimed it already, or the database is gone: the takeover covers it.
    }
  }

  #run(
    taskSignal: AbortSignal,
    run: (run: RefreshRun) => Promise<void>,
  ): Promise<void> {
    const running = this.#runOnce(taskSignal, run);
    const tracked = running.catch(() => undefined);
    this.#runs.add(tracked);
    tracked.finally(() => this.#runs.delete(tracked));
    return running;
  }

  async #runOnce(
    taskSignal: AbortSignal,
    run: (run: RefreshRun) => Promise<void>,
  ): Promise<void> {
    const runId = randomUUID();
    const controller = new AbortController();
    const onTaskAbort = () =>
      controller.abort(new Error('the refresh task was aborted'));
    if (taskSignal.aborted) onTaskAbort();
    taskSignal.addEventListener('abort', onTaskAbort);
    this.#running.set(runId, controller);
    try {
      await this.#lease.begin(runId, this.#owner);
    } catch (error) {
      this.#running.delete(runId);
      taskSignal.removeEventListener('abort', onTaskAbort);
      throw error;
    }
    let beating = false;
    let beatFailing = false;
    const heartbeat = setInterval(async () => {
      if (beating || controller.signal.aborted) return;
      beating = true;
      try {
        const held = await this.#lease.beat(runId);
        beatFailing = false;
        if (!held) {
          this.#logger.warn(
            `Refresh run ${runId} lost its lease (another replica declared it dead); abandoning it`,
          );
          controller.abort(new Error('the refresh lease was lost'));
        }
      } catch (error) {
        // Once per outage of the database, not once per beat.
        if (!beatFailing)
          this.#logger.warn(`Refresh heartbeat failed: ${error}`);
        beatFailing = true;
      } finally {
        beating = false;
      }
    }, this.#tickMs);
    heartbeat.unref();
    try {
      await run({ signal: controller.signal, runId });
    } finally {
      clearInterval(heartbeat);
      taskSignal.removeEventListener('abort', onTaskAbort);
      this.#running.delete(runId);
      await this.#lease
        .finish(runId)
        .catch(error =>
          this.#logger.warn(`Failed to end refresh run ${runId}: ${error}`),
        );
    }
  }

  /** Watches the lease; releases a run whose heartbeat stopped. */
  async #tick(): Promise<void> {
    if (this.#ticking) return;
    this.#ticking = true;
    try {
      const state = await this.#lease.read();
      if (this.#tickFailing) {
        this.#tickFailing = false;
        this.#logger.info('Refresh takeover checks work again');
      }
      if (!state || state.finished || this.#running.has(state.runId)) {
        this.#observed = undefined;
        return;
      }
      const now = performance.now();
      const seen = this.#observed;
      if (!seen || seen.runId !== state.runId || seen.beat !== state.beat) {
        this.#observed = { runId: state.runId, beat: state.beat, since: now };
        return;
      }
      if (now - seen.since < this.#takeoverAfterMs) return;
      this.#observed = undefined;
      if (!(await this.#lease.reap(state.runId, state.beat, this.#owner))) {
        return; // It moved on, or another replica reaped it.
      }
      this.#logger.warn(
        `Refresh run ${state.runId} of ${
          state.owner
        } has not sent a heartbeat for ${Math.round(
          (now - seen.since) / 1000,
        )}s; releasing its lock so that another replica refreshes`,
      );
      try {
        await this.#scheduler.cancelTask(REFRESH_TASK_ID);
      } catch (error) {
        // Not running: the scheduler's own janitor released it already.
        if ((error as Error)?.name !== 'ConflictError') throw error;
      }
      await this.trigger();
    } catch (error) {
      if (!this.#tickFailing) {
        this.#logger.warn(
          `Refresh takeover check failed: ${error} (logged once until it works again)`,
        );
      }
      this.#tickFailing = true;
    } finally {
      this.#ticking = false;
    }
  }
}

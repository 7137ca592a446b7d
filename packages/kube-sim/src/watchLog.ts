// A cluster store's change events and its watchers: a bounded log (a watch from a resourceVersion replays what is
// still kept, or gets 410 Expired like the API server's watch cache) and delivery through each watcher's filter.
import type { Filter, StoredObject } from './storedObject.ts';
import { matchesFilter } from './storedObject.ts';
import { errors } from './status.ts';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  rv: number;
  /** When it happened (ms since the epoch), for the compaction window; set by the log. */
  at?: number;
  type: EventType;
  typeKey: string;
  object: StoredObject;
  previous?: StoredObject;
}

export interface WatchEvent {
  type: EventType;
  object: StoredObject;
}

interface Watcher {
  typeKey: string;
  filter: Filter;
  send: (event: WatchEvent) => void;
}

const EVENT_LOG_SIZE = 10_000;

export class WatchLog {
  private events: StoreEvent[] = [];
  /** Events up to this resource version are gone: a watch from an older version gets 410 Expired. */
  private compactedRv = 0;
  private readonly watchers = new Set<Watcher>();
  /** Events older than this many ms are compacted away (the `watch.historySeconds` fault); 0: only the size cap. */
  private historyMs = 0;

  /** Nothing up to `rv` can be replayed (after a scenario is loaded). */
  reset(rv: number): void {
    this.events = [];
    this.compactedRv = rv;
  }

  setHistorySeconds(seconds: number): void {
    this.historyMs = Math.max(0, seconds) * 1000;
    this.compactOlderThanWindow();
  }

  private compactOlderThanWindow(): void {
    if (!this.historyMs || this.events.length === 0) return;
    const cutoff = Date.now() - this.historyMs;
    let n = 0;
    while (n < this.events.length && this.events[n].at! < cutoff) n++;
    if (n === 0) return;
    this.compactedRv = Math.max(this.compactedRv, this.events[n - 1].rv);
    this.events.splice(0, n);
  }

  emit(event: StoreEvent): void {
    this.events.push({ ...event, at: Date.now() });
    this.compactOlderThanWindow();
    // drop the oldest in batches, so a busy store does not shift the whole log on every write
    if (this.events.length > EVENT_LOG_SIZE * 1.5) {
      const dropped = this.events.splice(
        0,
        this.events.length - EVENT_LOG_SIZE,
      );
      this.compactedRv = dropped[dropped.length - 1].rv;
    }
    for (const w of this.watchers) {
      if (w.typeKey === event.typeKey) this.deliver(w, event);
    }
  }

  /** Translates a change into what a watcher with a filter sees: entering the filter is ADDED, leaving DELETED. */
  private deliver(w: Watcher, event: StoreEvent): void {
    const now =
      event.type !== 'DELETED' && matchesFilter(event.object, w.filter);
    const before = event.previous
      ? matchesFilter(event.previous, w.filter)
      : false;
    if (event.type === 'DELETED') {
      if (before) w.send({ type: 'DELETED', object: event.object });
    } else if (now && before)
      w.send({ type: 'MODIFIED', object: event.object });
    else if (now) w.send({ type: 'ADDED', object: event.object });
    else if (before) w.send({ type: 'DELETED', object: event.object });
  }

  /**
   * Starts a watch of one type: without a resourceVersion (or "0") first an ADDED event per matching object of
   * `current`, then every change; from a resourceVersion, the changes after it (410 Expired when they are no
   * longer kept). Returns the function that stops it.
   */
  watch(
    typeKey: string,
    filter: Filter,
    resourceVersion: string | undefined,
    current: () => Iterable<StoredObject>,
    send: (e: WatchEvent) => void,
  ): () => void {
    const watcher: Watcher = { typeKey, filter, send };
    if (!resourceVersion || resourceVersion === '0') {
      for (const so of current())
        if (matchesFilter(so, filter)) send({ type: 'ADDED', object: so });
    } else {
      const from = Number(resourceVersion);
      if (!Number.isFinite(from))
        throw errors.badRequest(`invalid resource version: ${resourceVersion}`);
      this.compactOlderThanWindow();
      if (from < this.compactedRv) {
        throw errors.gone(
          `too old resource version: ${from} (${this.compactedRv})`,
        );
      }
      for (const event of this.events) {
        if (event.rv > from && event.typeKey === typeKey)
          this.deliver(watcher, event);
      }
    }
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }
}

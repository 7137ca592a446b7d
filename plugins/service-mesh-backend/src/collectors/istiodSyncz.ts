/*
 * istiod's /debug/syncz, reduced while it streams in: the body is a JSON array with one entry per connected
 * proxy (pilot/pkg/xds/debug.go `Syncz`, types `SyncStatus` and `ResourceStatus`), so at 10k proxies it is
 * megabytes. Each element is parsed on its own and folded into counts; only proxies that are not fully synced
 * are kept as rows (capped), with the total.
 */
import type {
  IstiodProxySync,
  ProxyNamespaceSync,
  ProxySyncRow,
  XdsState,
  XdsType,
} from '@internal/plugin-service-mesh-common';

/** Type URLs of the xDS types `istioctl proxy-status` shows (pilot/pkg/model/xds: v3.ClusterType …). */
const TYPE_BY_URL: Record<string, XdsType> = {
  'type.googleapis.com/envoy.config.cluster.v3.Cluster': 'CDS',
  'type.googleapis.com/envoy.config.listener.v3.Listener': 'LDS',
  'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment': 'EDS',
  'type.googleapis.com/envoy.config.route.v3.RouteConfiguration': 'RDS',
  'type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig': 'ECDS',
};
/** Fields of istiod releases before `resources` (still written by current ones). */
const LEGACY_FIELDS: Array<[XdsType, string]> = [
  ['CDS', 'cluster'],
  ['LDS', 'listener'],
  ['EDS', 'endpoint'],
  ['RDS', 'route'],
  ['ECDS', 'extensionconfig'],
];
const SEVERITY: Record<XdsState, number> = {
  SYNCED: 0,
  'NOT SENT': 1,
  STALE: 2,
  ERROR: 3,
};
export const DEFAULT_ROWS_CAP = 500;

/** Code-unit order (locale-independent, like the ids it sorts). */
function byKey(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const isSpace = (b: number) =>
  b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * Splits a streamed top-level JSON array into the text of its elements. It scans bytes, not characters: every
 * structural character of JSON is ASCII and no byte of a multi-byte UTF-8 sequence is below 0x80, so a byte scan
 * finds the same boundaries; only each element's bytes are decoded (4× faster than a scan of decoded text at 40k
 * proxies, and the body is never held whole).
 */
export class JsonArraySplitter {
  #started = false;
  #done = false;
  #depth = 0;
  #inString = false;
  #escape = false;
  /** The bytes of the element that a chunk boundary cut. */
  #pending: Buffer[] = [];
  readonly #onElement: (text: string) => void;

  constructor(onElement: (text: string) => void) {
    this.#onElement = onElement;
  }

  write(chunk: Buffer): void {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (this.#inString) {
        if (this.#escape) this.#escape = false;
        else if (b === BACKSLASH) this.#escape = true;
        else if (b === QUOTE) this.#inString = false;
        continue;
      }
      if (!this.#started) {
        if (b === OPEN_BRACKET) {
          this.#started = true;
          start = i + 1;
        } else if (!isSpace(b))
          throw new SyntaxError('the body is not a JSON array');
        continue;
      }
      if (this.#done) {
        if (!isSpace(b))
          throw new SyntaxError('unexpected data after the JSON array');
        continue;
      }
      if (b === QUOTE) this.#inString = true;
      else if (b === OPEN_BRACE || b === OPEN_BRACKET) this.#depth++;
      else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        if (this.#depth === 0) {
          // the closing bracket of the top-level array
          this.#flush(chunk, start, i);
          this.#done = true;
          continue;
        }
        this.#depth--;
      } else if (b === COMMA && this.#depth === 0) {
        this.#flush(chunk, start, i);
        start = i + 1;
      }
    }
    if (this.#started && !this.#done && start < chunk.length)
      this.#pending.push(chunk.subarray(start));
  }

  end(): void {
    if (!this.#started) throw new SyntaxError('the body is not a JSON array');
    if (!this.#done) throw new SyntaxError('the JSON array is cut off');
  }

  #flush(chunk: Buffer, start: number, end: number): void {
    let text: string;
    if (this.#pending.length) {
      this.#pending.push(chunk.subarray(start, end));
      text = Buffer.concat(this.#pending).toString('utf8');
      this.#pending = [];
    } else text = chunk.toString('utf8', start, end);
    text = text.trim();
    if (text) this.#onElement(text);
  }
}

type Rec = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const isRec = (v: unknown): v is Rec =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go's zero time.Time (`0001-01-01T00:00:00Z`) means "never". */
function time(v: unknown): string | undefined {
  const s = str(v);
  if (!s || s.startsWith('0001-')) return undefined;
  return Number.isNaN(Date.parse(s)) ? undefined : s;
}

function state(sent?: string, acked?: string, lastError?: string): XdsState {
  if (lastError) return 'ERROR';
  if (!sent) return 'NOT SENT';
  return sent === acked ? 'SYNCED' : 'STALE';
}

/** One syncz entry → a row (every type, with its state), as pilot/pkg/xds/statusgen.go `debugSyncStatus` decides. */
export function proxyRow(entry: unknown): ProxySyncRow | undefined {
  if (!isRec(entry)) return undefined;
  const id = str(entry.proxy);
  if (!id) return undefined;
  const dot = id.lastIndexOf('.');
  const row: ProxySyncRow = {
    pod: dot > 0 ? id.slice(0, dot) : id,
    namespace: dot > 0 ? id.slice(dot + 1) : '',
    xds: {},
  };
  const clusterId = str(entry.cluster_id);
  if (clusterId) row.clusterId = clusterId;
  const proxyType = str(entry.proxy_type);
  if (proxyType) row.proxyType = proxyType;
  const version = str(entry.istio_version) || str(entry.proxy_version);
  if (version) row.version = version;
  if (isRec(entry.resources)) {
    for (const [url, r] of Object.entries(entry.resources)) {
      const type = TYPE_BY_URL[url];
      if (!type || !isRec(r)) continue;
      const error = str(r.lastError);
      const since = time(r.sentTime);
      row.xds[type] = {
        state: state(str(r.sent), str(r.acked), error),
        ...(since ? { since } : {}),
        ...(error ? { error: error.slice(0, 500) } : {}),
      };
    }
  } else {
    for (const [type, field] of LEGACY_FIELDS) {
      const sent = str(entry[`${field}_sent`]);
      const acked = str(entry[`${field}_acked`]);
      if (sent || acked) row.xds[type] = { state: state(sent, acked) };
    }
  }
  // NOT SENT has no time of its own: the proxy has waited at least since istiod first pushed it anything.
  const pushes = Object.values(row.xds)
    .map(x => x?.since)
    .filter((s): s is string => !!s)
    .sort();
  for (const x of Object.values(row.xds))
    if (x && x.state === 'NOT SENT' && pushes[0]) x.since = pushes[0];
  return row;
}

/** The worst state of a row, and since when (the oldest push among the types in that state). */
export function worstState(row: ProxySyncRow): {
  state: XdsState;
  since?: string;
} {
  let worst: XdsState = 'SYNCED';
  let since: string | undefined;
  for (const x of Object.values(row.xds)) {
    if (!x) continue;
    if (SEVERITY[x.state] > SEVERITY[worst]) {
      worst = x.state;
      since = x.since;
    } else if (x.state === worst && x.since && (!since || x.since < since))
      since = x.since;
  }
  return { state: worst, ...(since ? { since } : {}) };
}

/** Folds syncz entries into IstiodProxySync. */
export class SynczReducer {
  readonly #namespaces = new Map<string, ProxyNamespaceSync>();
  readonly #versions = new Map<string, number>();
  #rows: Array<{ row: ProxySyncRow; rank: string }> = [];
  #total = 0;
  #synced = 0;
  #rowsTotal = 0;
  readonly splitter = new JsonArraySplitter(text => this.add(JSON.parse(text)));

  constructor(private readonly rowsCap = DEFAULT_ROWS_CAP) {}

  add(entry: unknown): void {
    const row = proxyRow(entry);
    if (!row) return;
    this.#total++;
    if (row.version)
      this.#versions.set(
        row.version,
        (this.#versions.get(row.version) ?? 0) + 1,
      );
    const key = `${row.clusterId ?? ''}/${row.namespace}`;
    let ns = this.#namespaces.get(key);
    if (!ns) {
      ns = {
        clusterId: row.clusterId ?? '',
        namespace: row.namespace,
        proxies: 0,
        synced: 0,
        stale: 0,
        notSent: 0,
        error: 0,
      };
      this.#namespaces.set(key, ns);
    }
    ns.proxies++;
    const worst = worstState(row);
    if (worst.state === 'SYNCED') {
      ns.synced++;
      this.#synced++;
      return;
    }
    if (worst.state === 'STALE') ns.stale++;
    else if (worst.state === 'NOT SENT') ns.notSent++;
    else ns.error++;
    this.#rowsTotal++;
    // Keep the worst and oldest problems: errors first, then by age.
    const rank = `${3 - SEVERITY[worst.state]}${worst.since ?? '9'}${key}/${
      row.pod
    }`;
    this.#rows.push({ row, rank });
    if (this.#rows.length > this.rowsCap * 2) this.#trim();
  }

  #trim(): void {
    this.#rows.sort((a, b) => byKey(a.rank, b.rank));
    this.#rows.length = Math.min(this.#rows.length, this.rowsCap);
  }

  result(): IstiodProxySync {
    this.#trim();
    return {
      total: this.#total,
      synced: this.#synced,
      byNamespace: [...this.#namespaces.values()].sort(
        (a, b) =>
          byKey(a.clusterId, b.clusterId) || byKey(a.namespace, b.namespace),
      ),
      versions: [...this.#versions.entries()]
        .map(([version, proxies]) => ({ version, proxies }))
        .sort((a, b) => byKey(a.version, b.version)),
      rows: this.#rows.map(r => r.row),
      rowsTotal: this.#rowsTotal,
    };
  }
}

/*
 * In-memory clusters for the unit tests: namespaces with resourceVersions (and the 409 precondition), istiod
 * revisions, PeerAuthentications, a log of writes, and hooks to fail or interleave any call.
 */
import type { RevisionTag } from '@internal/plugin-service-mesh-common';
import { KubeApiError } from '@internal/plugin-service-mesh-node';
import { OnboardClusterClient } from '../OnboardClusterClient';
import { OnboardClusters } from '../clusters';
import { NamespaceState, PeerAuthenticationState } from '../types';

export type FakeOperation = keyof OnboardClusterClient;

const WRITES: FakeOperation[] = [
  'createNamespace',
  'patchNamespaceLabels',
  'deleteNamespace',
  'createPeerAuthentication',
  'deletePeerAuthentication',
];

export class FakeCluster implements OnboardClusterClient {
  readonly namespaces = new Map<
    string,
    { labels: Record<string, string>; resourceVersion: number; phase?: string }
  >();
  readonly peerAuthentications = new Map<string, PeerAuthenticationState>();
  revisions: string[];
  revisionTags: RevisionTag[];
  peerAuthenticationVersion: string | undefined = 'v1';
  /** Every call, e.g. `patchNamespaceLabels payments`. */
  readonly calls: string[] = [];
  /** Return an error to make a call fail (before it has any effect). */
  fail?: (operation: FakeOperation, args: unknown[]) => Error | undefined;
  /** Runs before a call takes effect, e.g. to change the namespace behind the action's back. */
  before?: (operation: FakeOperation, args: unknown[]) => void;
  #rv = 100;

  constructor(
    readonly name: string,
    options: {
      revisions?: string[];
      revisionTags?: RevisionTag[];
      namespaces?: Record<string, Record<string, string>>;
    } = {},
  ) {
    this.revisions = options.revisions ?? ['1-22'];
    this.revisionTags = options.revisionTags ?? [];
    for (const [ns, labels] of Object.entries(options.namespaces ?? {}))
      this.putNamespace(ns, labels);
  }

  get writes(): string[] {
    return this.calls.filter(c =>
      WRITES.includes(c.split(' ')[0] as FakeOperation),
    );
  }

  putNamespace(name: string, labels: Record<string, string>) {
    this.namespaces.set(name, {
      labels: { ...labels },
      resourceVersion: ++this.#rv,
    });
  }

  labelsOf(name: string): Record<string, string> | undefined {
    return this.namespaces.get(name)?.labels;
  }

  #enter(operation: FakeOperation, args: unknown[]) {
    this.calls.push(
      [operation, ...args.filter(a => typeof a === 'string')].join(' '),
    );
    const error = this.fail?.(operation, args);
    if (error) throw error;
    this.before?.(operation, args);
  }

  async readNamespace(name: string): Promise<NamespaceState | undefined> {
    this.#enter('readNamespace', [name]);
    const ns = this.namespaces.get(name);
    return (
      ns && {
        labels: { ...ns.labels },
        resourceVersion: String(ns.resourceVersion),
        phase: ns.phase,
      }
    );
  }

  async listIstiodRevisions() {
    this.#enter('listIstiodRevisions', []);
    return [...this.revisions];
  }

  async listRevisionTags() {
    this.#enter('listRevisionTags', []);
    return this.revisionTags.map(t => ({ ...t }));
  }

  async peerAuthenticationApiVersion() {
    this.#enter('peerAuthenticationApiVersion', []);
    return this.peerAuthenticationVersion;
  }

  async readPeerAuthentication(namespace: string, apiVersion: string) {
    this.#enter('readPeerAuthentication', [namespace, apiVersion]);
    return this.peerAuthentications.get(namespace);
  }

  async createNamespace(name: string, labels: Record<string, string>) {
    this.#enter('createNamespace', [name, labels]);
    if (this.namespaces.has(name))
      throw status(409, 'AlreadyExists', `namespaces "${name}" already exists`);
    this.putNamespace(name, labels);
    return (await this.readNamespace(name))!;
  }

  async patchNamespaceLabels(
    name: string,
    labels: Record<string, string | null>,
    resourceVersion?: string,
  ) {
    this.#enter('patchNamespaceLabels', [name, labels, resourceVersion]);
    const ns = this.namespaces.get(name);
    if (!ns) throw status(404, 'NotFound', `namespaces "${name}" not found`);
    if (resourceVersion && resourceVersion !== String(ns.resourceVersion)) {
      throw status(
        409,
        'Conflict',
        `Operation cannot be fulfilled on namespaces "${name}": the object has been modified`,
      );
    }
    for (const [key, value] of Object.entries(labels)) {
      if (value === null) delete ns.labels[key];
      else ns.labels[key] = value;
    }
    ns.resourceVersion = ++this.#rv;
    return (await this.readNamespace(name))!;
  }

  async deleteNamespace(name: string) {
    this.#enter('deleteNamespace', [name]);
    if (!this.namespaces.delete(name))
      throw status(404, 'NotFound', `namespaces "${name}" not found`);
    this.peerAuthentications.delete(name);
  }

  async createPeerAuthentication(namespace: string, apiVersion: string) {
    this.#enter('createPeerAuthentication', [namespace, apiVersion]);
    if (this.peerAuthentications.has(namespace))
      throw status(409, 'AlreadyExists', 'already exists');
    this.peerAuthentications.set(namespace, {
      mode: 'STRICT',
      hasSelector: false,
    });
  }

  async deletePeerAuthentication(namespace: string, apiVersion: string) {
    this.#enter('deletePeerAuthentication', [namespace, apiVersion]);
    if (!this.peerAuthentications.delete(namespace))
      throw status(404, 'NotFound', 'not found');
  }
}

export function status(
  code: number,
  reason: string,
  message: string,
): KubeApiError {
  return new KubeApiError(`${message} (${code})`, { statusCode: code, reason });
}

export function unreachable(cluster: string): KubeApiError {
  return new KubeApiError(
    `request to https://${cluster}:6443 failed, reason: connect ECONNREFUSED`,
    { code: 'ECONNREFUSED' },
  );
}

/** OnboardClusters over fakes; `global` plays the management cluster. */
export function fakeClusters(...clusters: FakeCluster[]): OnboardClusters {
  const byName = new Map(clusters.map(c => [c.name, c]));
  return {
    members: clusters.map(c => c.name),
    targetProblem: name => {
      if (byName.has(name)) return undefined;
      if (name === 'global')
        return `cluster 'global' is the management cluster (serviceMesh.managementCluster), not a mesh member`;
      return `unknown cluster '${name}'`;
    },
    client: name => byName.get(name)!,
  };
}

/*
 * The reads and writes the action makes on one cluster. The interface keeps the steps (validate, apply,
 * rollback) testable with fakes; the implementation uses client-node's typed APIs over the KubeConfig that the
 * service-mesh backend builds for the cluster, so both plugins use the same credentials and TLS settings.
 */
import {
  ApisApi,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  Observable,
  ObservableMiddleware,
  PatchStrategy,
  V1Namespace,
  setHeaderOptions,
} from '@kubernetes/client-node';
import {
  ISTIO_SYSTEM_NAMESPACE,
  LABELS,
} from '@internal/plugin-service-mesh-common';
import { KubeRequestError, isStatus } from './KubeRequestError';
import {
  NamespaceState,
  PEER_AUTHENTICATION_GROUP,
  PEER_AUTHENTICATION_NAME,
  PeerAuthenticationState,
} from './types';

/** Reads and writes of the onboarding action on one cluster; failures are KubeRequestErrors. */
export interface OnboardClusterClient {
  /** Undefined when the namespace does not exist. */
  readNamespace(name: string): Promise<NamespaceState | undefined>;
  /** Revisions of the istiod Deployments (`app=istiod`) in istio-system. */
  listIstiodRevisions(): Promise<string[]>;
  /** The served version of security.istio.io the cluster prefers; undefined when Istio's CRDs are missing. */
  peerAuthenticationApiVersion(): Promise<string | undefined>;
  /** The namespace's PeerAuthentication `default`, or undefined. */
  readPeerAuthentication(
    namespace: string,
    apiVersion: string,
  ): Promise<PeerAuthenticationState | undefined>;
  createNamespace(
    name: string,
    labels: Record<string, string>,
  ): Promise<NamespaceState>;
  /**
   * JSON merge patch of metadata.labels only (null removes a label). With `resourceVersion`, the API server
   * rejects the patch with 409 when the namespace changed since it was read.
   */
  patchNamespaceLabels(
    name: string,
    labels: Record<string, string | null>,
    resourceVersion?: string,
  ): Promise<NamespaceState>;
  deleteNamespace(name: string): Promise<void>;
  /** Creates PeerAuthentication `default` with mTLS STRICT. */
  createPeerAuthentication(
    namespace: string,
    apiVersion: string,
  ): Promise<void>;
  deletePeerAuthentication(
    namespace: string,
    apiVersion: string,
  ): Promise<void>;
}

export interface KubernetesOnboardClusterClientOptions {
  /** Time limit of each request. */
  timeoutMs: number;
}

/** The OnboardClusterClient of a cluster, over client-node's typed APIs. */
export class KubernetesOnboardClusterClient implements OnboardClusterClient {
  readonly #core: CoreV1Api;
  readonly #apps: AppsV1Api;
  readonly #apis: ApisApi;
  readonly #custom: CustomObjectsApi;
  readonly #timeoutMs: number;

  static fromKubeConfig(
    kc: KubeConfig,
    options: KubernetesOnboardClusterClientOptions,
  ) {
    return new KubernetesOnboardClusterClient(kc, options);
  }

  private constructor(
    kc: KubeConfig,
    options: KubernetesOnboardClusterClientOptions,
  ) {
    this.#core = kc.makeApiClient(CoreV1Api);
    this.#apps = kc.makeApiClient(AppsV1Api);
    this.#apis = kc.makeApiClient(ApisApi);
    this.#custom = kc.makeApiClient(CustomObjectsApi);
    this.#timeoutMs = options.timeoutMs;
  }

  async readNamespace(name: string) {
    try {
      const ns = await this.#call(`read namespace ${name}`, options =>
        this.#core.readNamespace({ name }, options),
      );
      return namespaceState(ns);
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  async listIstiodRevisions() {
    const list = await this.#call(
      `list istiod Deployments in ${ISTIO_SYSTEM_NAMESPACE}`,
      options =>
        this.#apps.listNamespacedDeployment(
          { namespace: ISTIO_SYSTEM_NAMESPACE, labelSelector: 'app=istiod' },
          options,
        ),
    );
    const revisions = list.items.map(
      d => d.metadata?.labels?.[LABELS.revision] || 'default',
    );
    return [...new Set(revisions)].sort();
  }

  async peerAuthenticationApiVersion() {
    const groups = await this.#call('discover API groups', options =>
      this.#apis.getAPIVersions({}, options),
    );
    const group = groups.groups.find(g => g.name === PEER_AUTHENTICATION_GROUP);
    return group?.preferredVersion?.version ?? group?.versions[0]?.version;
  }

  async readPeerAuthentication(namespace: string, apiVersion: string) {
    try {
      const pa = await this.#call(
        `read PeerAuthentication ${namespace}/${PEER_AUTHENTICATION_NAME}`,
        options =>
          this.#custom.getNamespacedCustomObject(
            {
              ...peerAuthenticationPath(namespace, apiVersion),
              name: PEER_AUTHENTICATION_NAME,
            },
            options,
          ),
      );
      const spec = (pa?.spec ?? {}) as {
        mtls?: { mode?: unknown };
        selector?: unknown;
      };
      return {
        mode: typeof spec.mtls?.mode === 'string' ? spec.mtls.mode : undefined,
        hasSelector: Boolean(spec.selector),
      };
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  async createNamespace(name: string, labels: Record<string, string>) {
    const ns = await this.#call(`create namespace ${name}`, options =>
      this.#core.createNamespace(
        {
          body: {
            apiVersion: 'v1',
            kind: 'Namespace',
            metadata: { name, labels },
          },
        },
        options,
      ),
    );
    return namespaceState(ns);
  }

  async patchNamespaceLabels(
    name: string,
    labels: Record<string, string | null>,
    resourceVersion?: string,
  ) {
    const body = {
      metadata: { labels, ...(resourceVersion ? { resourceVersion } : {}) },
    };
    const ns = await this.#call(
      `patch labels of namespace ${name}`,
      options => this.#core.patchNamespace({ name, body }, options),
      PatchStrategy.MergePatch,
    );
    return namespaceState(ns);
  }

  async deleteNamespace(name: string) {
    await this.#call(`delete namespace ${name}`, options =>
      this.#core.deleteNamespace({ name }, options),
    );
  }

  async createPeerAuthentication(namespace: string, apiVersion: string) {
    await this.#call(
      `create PeerAuthentication ${namespace}/${PEER_AUTHENTICATION_NAME}`,
      options =>
        this.#custom.createNamespacedCustomObject(
          {
            ...peerAuthenticationPath(namespace, apiVersion),
            body: {
              apiVersion: `${PEER_AUTHENTICATION_GROUP}/${apiVersion}`,
              kind: 'PeerAuthentication',
              metadata: { name: PEER_AUTHENTICATION_NAME, namespace },
              spec: { mtls: { mode: 'STRICT' } },
            },
          },
          options,
        ),
    );
  }

  async deletePeerAuthentication(namespace: string, apiVersion: string) {
    await this.#call(
      `delete PeerAuthentication ${namespace}/${PEER_AUTHENTICATION_NAME}`,
      options =>
        this.#custom.deleteNamespacedCustomObject(
          {
            ...peerAuthenticationPath(namespace, apiVersion),
            name: PEER_AUTHENTICATION_NAME,
          },
          options,
        ),
    );
  }

  /** Runs one request with the time limit (and a patch content type); failures become KubeRequestErrors. */
  async #call<T>(
    operation: string,
    request: (options: ReturnType<typeof setHeaderOptions>) => Promise<T>,
    contentType?: string,
  ): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs);
    let options = {
      middleware: [signalMiddleware(controller.signal)],
      middlewareMergeStrategy: 'append' as const,
    };
    if (contentType)
      options = setHeaderOptions(
        'Content-Type',
        contentType,
        options,
      ) as typeof options;
    try {
      return await request(options);
    } catch (error) {
      throw KubeRequestError.from(operation, error);
    } finally {
      clearTimeout(timer);
    }
  }
}

function signalMiddleware(signal: AbortSignal): ObservableMiddleware {
  return {
    pre: context => {
      context.setSignal(signal);
      return new Observable(Promise.resolve(context));
    },
    post: context => new Observable(Promise.resolve(context)),
  };
}

function namespaceState(ns: V1Namespace): NamespaceState {
  return {
    labels: { ...(ns.metadata?.labels ?? {}) },
    resourceVersion: ns.metadata?.resourceVersion,
    phase: ns.status?.phase,
  };
}

function peerAuthenticationPath(namespace: string, apiVersion: string) {
  return {
    group: PEER_AUTHENTICATION_GROUP,
    version: apiVersion,
    namespace,
    plural: 'peerauthentications',
  };
}

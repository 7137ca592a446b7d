/*
 * The reads and writes the action makes on one cluster. The interface keeps the steps (validate, apply,
 * rollback) testable with fakes; the implementation uses client-node's typed APIs over the KubeConfig that
 * cluster access builds for the cluster (the auth strategy's current credentials), so the backend and the
 * action use the same credentials and TLS settings.
 */
import {
  AdmissionregistrationV1Api,
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
  RevisionTag,
} from '@internal/plugin-service-mesh-common';
import {
  isClusterAccessError,
  isKubeStatus,
  KubeApiError,
  PARTIAL_OBJECT_METADATA_LIST_ACCEPT,
} from '@internal/plugin-service-mesh-node';
import {
  NamespaceState,
  PEER_AUTHENTICATION_GROUP,
  PEER_AUTHENTICATION_NAME,
  PeerAuthenticationState,
} from './types';

/**
 * Reads and writes of the onboarding action on one cluster; failures are KubeApiErrors (or ClusterAccessErrors).
 *
 * @public
 */
export interface OnboardClusterClient {
  /** Undefined when the namespace does not exist. */
  readNamespace(name: string): Promise<NamespaceState | undefined>;
  /** Revisions of the istiod Deployments (`app=istiod`) in istio-system. */
  listIstiodRevisions(): Promise<string[]>;
  /**
   * Revision tags: MutatingWebhookConfigurations labelled `istio.io/tag`, read as metadata only (the tag and
   * its `istio.io/rev` are labels; istioctl/pkg/tag/util.go GetWebhookRevision).
   */
  listRevisionTags(): Promise<RevisionTag[]>;
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
  readonly #kubeConfig: () => Promise<KubeConfig>;
  #apis?: Promise<{
    core: CoreV1Api;
    apps: AppsV1Api;
    admission: AdmissionregistrationV1Api;
    apis: ApisApi;
    custom: CustomObjectsApi;
  }>;
  readonly #timeoutMs: number;

  /** `kubeConfig` is asked once, on the first call: credentials are resolved only for clusters the action reads. */
  static fromKubeConfig(
    kubeConfig: KubeConfig | (() => Promise<KubeConfig>),
    options: KubernetesOnboardClusterClientOptions,
  ) {
    return new KubernetesOnboardClusterClient(
      typeof kubeConfig === 'function' ? kubeConfig : async () => kubeConfig,
      options,
    );
  }

  private constructor(
    kubeConfig: () => Promise<KubeConfig>,
    options: KubernetesOnboardClusterClientOptions,
  ) {
    this.#kubeConfig = kubeConfig;
    this.#timeoutMs = options.timeoutMs;
  }

  get #core() {
    return this.#clients().then(c => c.core);
  }

  get #apps() {
    return this.#clients().then(c => c.apps);
  }

  get #admission() {
    return this.#clients().then(c => c.admission);
  }

  get #discovery() {
    return this.#clients().then(c => c.apis);
  }

  get #custom() {
    return this.#clients().then(c => c.custom);
  }

  #clients() {
    this.#apis ??= this.#kubeConfig().then(kc => ({
      core: kc.makeApiClient(CoreV1Api),
      apps: kc.makeApiClient(AppsV1Api),
      admission: kc.makeApiClient(AdmissionregistrationV1Api),
      apis: kc.makeApiClient(ApisApi),
      custom: kc.makeApiClient(CustomObjectsApi),
    }));
    // A failed resolution (no credentials) is asked again on the next call.
    this.#apis.catch(() => {
      this.#apis = undefined;
    });
    return this.#apis;
  }

  async readNamespace(name: string) {
    try {
      const ns = await this.#call(`read namespace ${name}`, async options =>
        (await this.#core).readNamespace({ name }, options),
      );
      return namespaceState(ns);
    } catch (error) {
      if (isKubeStatus(error, 404)) return undefined;
      throw error;
    }
  }

  async listIstiodRevisions() {
    const list = await this.#call(
      `list istiod Deployments in ${ISTIO_SYSTEM_NAMESPACE}`,
      async options =>
        (
          await this.#apps
        ).listNamespacedDeployment(
          { namespace: ISTIO_SYSTEM_NAMESPACE, labelSelector: 'app=istiod' },
          options,
        ),
    );
    const revisions = list.items.map(
      d => d.metadata?.labels?.[LABELS.revision] || 'default',
    );
    return [...new Set(revisions)].sort();
  }

  async listRevisionTags() {
    const list = await this.#call(
      'list revision tag webhooks (mutatingwebhookconfigurations labelled istio.io/tag)',
      async options =>
        (
          await this.#admission
        ).listMutatingWebhookConfiguration(
          { labelSelector: LABELS.revisionTag },
          options,
        ),
      { accept: PARTIAL_OBJECT_METADATA_LIST_ACCEPT },
    );
    return list.items.flatMap(w => {
      const labels = w.metadata?.labels ?? {};
      const tag = labels[LABELS.revisionTag];
      if (!tag) return [];
      const revision = labels[LABELS.revision];
      return [
        {
          tag,
          ...(revision ? { revision } : {}),
          webhook: w.metadata?.name ?? '',
        },
      ];
    });
  }

  async peerAuthenticationApiVersion() {
    const groups = await this.#call('discover API groups', async options =>
      (await this.#discovery).getAPIVersions({}, options),
    );
    const group = groups.groups.find(g => g.name === PEER_AUTHENTICATION_GROUP);
    return group?.preferredVersion?.version ?? group?.versions[0]?.version;
  }

  async readPeerAuthentication(namespace: string, apiVersion: string) {
    try {
      const pa = await this.#call(
        `read PeerAuthentication ${namespace}/${PEER_AUTHENTICATION_NAME}`,
        async options =>
          (
            await this.#custom
          ).getNamespacedCustomObject(
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
      if (isKubeStatus(error, 404)) return undefined;
      throw error;
    }
  }

  async createNamespace(name: string, labels: Record<string, string>) {
    const ns = await this.#call(`create namespace ${name}`, async options =>
      (
        await this.#core
      ).createNamespace(
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
      async options =>
        (await this.#core).patchNamespace({ name, body }, options),
      PatchStrategy.MergePatch,
    );
    return namespaceState(ns);
  }

  async deleteNamespace(name: string) {
    await this.#call(`delete namespace ${name}`, async options =>
      (await this.#core).deleteNamespace({ name }, options),
    );
  }

  async createPeerAuthentication(namespace: string, apiVersion: string) {
    await this.#call(
      `create PeerAuthentication ${namespace}/${PEER_AUTHENTICATION_NAME}`,
      async options =>
        (
          await this.#custom
        ).createNamespacedCustomObject(
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
      async options =>
        (
          await this.#custom
        ).deleteNamespacedCustomObject(
          {
            ...peerAuthenticationPath(namespace, apiVersion),
            name: PEER_AUTHENTICATION_NAME,
          },
          options,
        ),
    );
  }

  /** Runs one request with the time limit (and a patch content type); API failures become KubeApiErrors. */
  async #call<T>(
    operation: string,
    request: (options: ReturnType<typeof setHeaderOptions>) => Promise<T>,
    contentType?: string | { accept: string },
  ): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs);
    let options = {
      middleware: [signalMiddleware(controller.signal)],
      middlewareMergeStrategy: 'append' as const,
    };
    if (typeof contentType === 'string')
      options = setHeaderOptions(
        'Content-Type',
        contentType,
        options,
      ) as typeof options;
    else if (contentType)
      options = setHeaderOptions(
        'Accept',
        contentType.accept,
        options,
      ) as typeof options;
    try {
      return await request(options);
    } catch (error) {
      // No credentials: the cluster access problem (with its fix) is the answer, nothing was sent.
      if (isClusterAccessError(error)) throw error;
      throw KubeApiError.from(operation, error);
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

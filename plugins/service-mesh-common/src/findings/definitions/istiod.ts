import { defineFindingCategory } from '../definition';
import { ISTIO_DOCS, istioSource } from './references';

const CLUSTERZ = istioSource('pilot/pkg/xds/debug.go', 'clusterz, Syncz');
const SYNC_STATUS = istioSource(
  'pkg/kube/multicluster/cluster.go',
  'SyncStatus',
);
const SECRET_CONTROLLER = istioSource(
  'pkg/kube/multicluster/secretcontroller.go',
);
const STATUS_GEN = istioSource('pilot/pkg/xds/statusgen.go', 'debugSyncStatus');
const DEBUG_AUTH = istioSource(
  'pilot/pkg/xds/debug.go',
  'addDebugHandler, allowAuthenticatedOrLocalhost',
);
const ISTIOCTL_PORT_FORWARD = istioSource(
  'pkg/kube/client.go',
  'portForwardRequest, FindIstiodMonitoringPort',
);

export const ISTIOD_FINDINGS = defineFindingCategory({
  id: 'istiod',
  title: 'What istiod itself reports',
  intro:
    "Everything else is desired state read from the Kubernetes API. These codes come from what each istiod reports: `/debug/clusterz` (as `istioctl remote-clusters` shows it) and `/debug/syncz` (as `istioctl proxy-status` shows it), read as istioctl reads them: a port-forward through the Kubernetes API (`pods/portforward`, WebSocket `v4.channel.k8s.io`) to the pod's `prometheus.io/port`, else 15014, one ready istiod pod per revision. `/debug/clusterz` is read on every refresh (a few hundred bytes per remote; a remote that istiod cannot sync is urgent). `/debug/syncz` grows with the proxies (about 1 KB each, 40 MB at 40k proxies) and is read every `serviceMesh.istiod.proxySyncIntervalSeconds` (default 900: at 1 KB per proxy, less often than the refresh keeps the API bytes of watch mode within 1 % of polling; 0: every refresh): between reads the snapshot keeps the last result with its read time, and the dashboard and entity tab show its age (\"proxy sync read 3 min ago\"), in poll and in watch mode. Proxy ages are istiod's own: the `Date` of its answer minus the `sentTime` of the push, as of that read, so MESH015 reports a proxy at most one interval after it crossed `staleProxyMinutes` (with the defaults: a proxy stale for 5 min is reported after 5 to 20 min; lower the interval for faster MESH015, at 1 KB per proxy per read), and a proxy that synced since the read stays listed until the next one. The forward matters: since Istio 1.11 istiod serves `/debug/*` only to loopback or Istio-authenticated callers, and the API server's pod proxy dials from its own address without the caller's credentials, so a stock istiod answers the pod proxy with 401 (`serviceMesh.istiod.transport: podProxy` exists only for istiod builds that serve /debug to anyone).",
  codes: {
    MESH005: {
      severity: 'warning',
      title: 'Proxies outside the supported version skew',
      description:
        'Proxies connected to an istiod run a version more than one minor release behind it, or newer than it; Istio supports a control plane at most one minor ahead of its data plane.',
      scope: 'cluster',
      fix: "`istioctl proxy-status --context=<cluster>` lists each proxy's version; restart the old workloads to re-inject the current sidecar (`kubectl -n <ns> rollout restart deployment/<name> --context=<cluster>`), upgrading one minor release at a time with canary revisions.",
      docs: {
        explanation:
          'Istio\'s policy (Supported Releases, "Control Plane/Data Plane Skew"): the control plane can be one version ahead of the data plane, and the data plane cannot be ahead of the control plane. The check compares the `istio_version` of every proxy in istiod\'s `/debug/syncz` with the version of the istiod revision it is connected to (major.minor).',
        references: [ISTIO_DOCS.supportedReleases, ISTIO_DOCS.canaryUpgrade],
      },
    },
    MESH006: {
      severity: 'info',
      title: 'Data-plane versions differ across clusters',
      description:
        'The proxies of different clusters run different Istio versions (as istiod reports them): a data-plane upgrade in progress, or workloads not restarted.',
      scope: 'housekeeping',
      fix: "Restart the workloads of the lagging clusters after their control-plane upgrade; `istioctl proxy-status --context=<cluster>` shows each proxy's version.",
      docs: {
        explanation:
          "Each cluster's set of proxy versions (from `/debug/syncz`) is compared with the others'. Control-plane versions are MESH003.",
        references: [ISTIO_DOCS.supportedReleases],
      },
    },
    MESH007: {
      severity: 'error',
      title: 'Cluster ID duplicated or left at the default',
      description:
        'Two clusters run istiod with the same CLUSTER_ID, or a cluster of a multi-cluster mesh still has the default Kubernetes: istiod keys endpoints and remote secrets by cluster ID, so they collide.',
      scope: 'cluster',
      fix: '`istioctl install --set values.global.multiCluster.clusterName=<unique name> --context=<cluster>`, then recreate the remote secrets for it with `--name=<that name>`.',
      docs: {
        explanation:
          'The cluster ID comes from istiod\'s `/debug/clusterz` (its first row is the local cluster) and from the `CLUSTER_ID` env of the istiod Deployment. istiod ignores a remote secret whose key equals its own ID ("would overwrite the config cluster"), so two clusters with one ID never discover each other.',
        references: [SECRET_CONTROLLER, ISTIO_DOCS.multiclusterBeforeYouBegin],
      },
    },
    MESH012: {
      severity: 'error',
      severityNote: 'warning while `syncing`',
      title: 'istiod cannot sync a remote cluster',
      description:
        "A remote secret exists, but istiod reports that remote cluster as not synced (timeout, syncing or closed): it does not discover that cluster's endpoints.",
      scope: 'cluster',
      fix: '`kubectl -n istio-system logs deployment/istiod-<rev> --context=<cluster> | grep "remote cluster"`; recreate the secret with an API address istiod can reach: `istioctl create-remote-secret --context=<peer> --name=<peer> --server=https://<address> | kubectl apply -f - --context=<cluster>`.',
      docs: {
        explanation:
          'istiod\'s `SyncStatus`: `closed` once stopped, `timeout` when the first sync did not finish within `PILOT_REMOTE_CLUSTER_TIMEOUT` (default 30s), `synced`, else `syncing`. Typical causes of `timeout`: the kubeconfig\'s server is not reachable from istiod (a private or old address), an expired token, missing `istio-reader` RBAC. The reachability model reads the same data: such a pair is "not discovered".',
        references: [
          CLUSTERZ,
          SYNC_STATUS,
          ISTIO_DOCS.multiclusterTroubleshooting,
        ],
      },
    },
    MESH013: {
      severity: 'warning',
      title: 'istiod reads a remote cluster no secret explains',
      description:
        'istiod lists a remote cluster whose secret is not among the remote secrets of its namespace (deleted after istiod loaded it, or a PILOT_MULTICLUSTER_KUBECONFIG_PATH directory).',
      scope: 'housekeeping',
      fix: '`istioctl remote-clusters --context=<cluster>`; if the cluster should not be read, remove its kubeconfig and restart istiod.',
      docs: {
        explanation:
          'Each `/debug/clusterz` row names its secret (`<namespace>/<name>`); the check looks it up among the Secrets labelled `istio/multiCluster=true` that the plugin read (metadata only).',
        references: [CLUSTERZ, SECRET_CONTROLLER],
      },
    },
    MESH014: {
      severity: 'warning',
      title: 'istiod ignores a remote secret',
      description:
        "A remote secret exists, but istiod does not list it: its data key equals istiod's own cluster ID or one another secret already registered, or its kubeconfig cannot be loaded.",
      scope: 'cluster',
      fix: "`kubectl -n istio-system get secret <name> -o jsonpath='{.data}' --context=<cluster>`: the key must be the peer's `CLUSTER_ID`, unique among the secrets; recreate it with `istioctl create-remote-secret --name=<peer CLUSTER_ID>`.",
      docs: {
        explanation:
          'istiod registers one remote cluster per data key of each labelled Secret, ignoring a key equal to its own ID and one already registered by another secret, and skipping a kubeconfig it cannot build a client from.',
        references: [SECRET_CONTROLLER, ISTIO_DOCS.multiclusterTroubleshooting],
      },
    },
    MESH015: {
      severity: 'warning',
      title: 'Proxies not synced for too long',
      description:
        "Proxies have had a configuration type STALE (pushed, never acknowledged) or NOT SENT for longer than serviceMesh.istiod.staleProxyMinutes (default 5), by istiod's own timestamps; by cluster and namespace, with counts.",
      scope: 'entity',
      fix: "`istioctl proxy-status --context=<cluster> -n <ns>`; look for push errors in istiod's log; a proxy stuck on a broken connection recovers when its pod is recreated.",
      docs: {
        explanation:
          'The state of each type is derived as istiod derives it for `istioctl proxy-status`: ERROR when the proxy NACKed, NOT SENT when nothing was pushed, SYNCED when the last nonce sent was ACKed, else STALE. The age of STALE is istiod\'s answer time minus the `sentTime` of the push; NOT SENT has no time of its own and counts from the proxy\'s first push of any type. The drill-down keeps the worst 500 proxies per istiod, so a message may say "at least".',
        references: [STATUS_GEN, CLUSTERZ],
      },
    },
    MESH016: {
      severity: 'error',
      title: 'Proxies rejected their configuration',
      description:
        "Proxies NACKed configuration istiod pushed (xDS ERROR, with Envoy's message): they keep running on their previous configuration.",
      scope: 'entity',
      fix: '`istioctl analyze -n <ns> --context=<cluster>`; fix or remove the offending resource (often an `EnvoyFilter`, or a field the proxy version does not support).',
      docs: {
        explanation:
          'istiod records the error detail of the last NACK per type (`lastError` in `/debug/syncz`); the finding quotes it.',
        references: [STATUS_GEN],
      },
    },
    MESH093: {
      severity: 'warning',
      severityNote:
        'info when the debug endpoints are off or refuse the caller by design',
      title: "istiod's own view not readable",
      description:
        "The plugin could not read istiod's /debug/clusterz or /debug/syncz (403 on pods/portforward, debug endpoints off or refusing the caller, or istiod unreachable); the remote-cluster and proxy-sync checks skip that control plane.",
      scope: 'housekeeping',
      fix: 'Grant `apiGroups: [""], resources: ["pods/portforward"], verbs: ["create", "get"]` in the istiod namespace (or, with `serviceMesh.istiod.transport: podProxy`, `get` on `pods/proxy`); otherwise use `istioctl remote-clusters` / `istioctl proxy-status`.',
      docs: {
        explanation:
          "The plugin reaches istiod's monitoring port (annotation `prometheus.io/port`, else 15014) as istioctl does: a port-forward through the Kubernetes API (`pods/portforward`, WebSocket `v4.channel.k8s.io`), one HTTP request per forwarded connection, which arrives on istiod's loopback. That matters: every /debug handler is wrapped in `allowAuthenticatedOrLocalhost`, which serves only loopback callers or callers with an Istio/Kubernetes JWT, and the API server's pod proxy dials from its own address without the caller's Authorization header, so a stock istiod answers the pod proxy with 401 (`serviceMesh.istiod.transport: podProxy` is only for istiod builds that serve /debug to anyone). A 403 is the API server refusing the port-forward: the WebSocket upgrade is a GET, authorized as `get` on `pods/portforward`, and Kubernetes 1.35 also checks `create` on upgrades, so grant both. A plain-text 404 from istiod means `ENABLE_DEBUG_ON_HTTP=false`. Unreachable or failing pods (a forwarding error, a timeout) are followed by the next istiod pod of the revision.",
        references: [CLUSTERZ, DEBUG_AUTH, ISTIOCTL_PORT_FORWARD],
      },
    },
  },
});

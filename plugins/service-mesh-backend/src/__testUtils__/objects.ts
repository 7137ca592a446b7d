/*
 * Plain Kubernetes objects for unit tests, shaped like what an API server returns.
 */

/** A second root (EC P-256, O=cluster.local, CN=New Root CA, key discarded), for root-rotation bundles. */
export const TEST_NEW_ROOT_CERT = `-----BEGIN CERTIFICATE-----
MIIBsDCCAVegAwIBAgIUJoAyh2FrM2vdnJpfmBNpj2PelzcwCgYIKoZIzj0EAwIw
LjEWMBQGA1UECgwNY2x1c3Rlci5sb2NhbDEUMBIGA1UEAwwLTmV3IFJvb3QgQ0Ew
HhcNMjYxMjA2MjEwNjM2WhcNMzYxMjAzMjEwNjM2WjAuMRYwFAYDVQQKDA1jbHVz
dGVyLmxvY2FsMRQwEgYDVQQDDAtOZXcgUm9vdCBDQTBZMBMGByqGSM49AgEGCCqG
SM49AwEHA0IABMTolFic2LQukdT/+Avplltlaxo9DgBVNtHulXfOYqFUT63nzxHB
DcPdMUIbpxn9O/p1j2Gwu7SeFv4OWSIIakyjUzBRMB0GA1UdDgQWBBSQB3uAyeNR
GL2czAOZpadWvH7OAzAfBgNVHSMEGDAWgBSQB3uAyeNRGL2czAOZpadWvH7OAzAP
BgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0cAMEQCIA1akXuRcJeqsbEoWivJ
JCmascTDMtpncGdyffg0W7XYAiBQ09xtlvwIUJ8a98Yv8XUqamypkn5gZJMFDvNT
e2WiNQ==
-----END CERTIFICATE-----`;
export const TEST_NEW_ROOT_CERT_FINGERPRINT =
  '04:73:9D:B3:77:97:67:D8:80:3B:6B:83:DD:EE:C4:15:01:DF:22:1E:BC:32:AD:29:78:82:24:69:C8:33:1B:27';

export const TEST_ROOT_CERT = `-----BEGIN CERTIFICATE-----
MIIBqTCCAU+gAwIBAgIURSpLfj6X6Nmdgw/fQ5wLAgwmVuIwCgYIKoZIzj0EAwIw
KjEWMBQGA1UECgwNY2x1c3Rlci5sb2NhbDEQMA4GA1UEAwwHUm9vdCBDQTAeFw0y
NjExMjIwMTAxMTRaFw0zNjExMTkwMTAxMTRaMCoxFjAUBgNVBAoMDWNsdXN0ZXIu
bG9jYWwxEDAOBgNVBAMMB1Jvb3QgQ0EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNC
AASvvUkIVeMrHjcIOVD4hH86424sVxlsOhctvNyMDL6D7CCVUnIHkcisUP/5LiqO
KWaMnBdBGuVFcjbMTpUEX0M3o1MwUTAdBgNVHQ4EFgQUOaiAnm9i9EVJTjwYqswY
Qx4LMOEwHwYDVR0jBBgwFoAUOaiAnm9i9EVJTjwYqswYQx4LMOEwDwYDVR0TAQH/
BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiAP+U761me9wFX+f0XGI7i0mkncfouw
CJiUkYoNZQE+mgIhAIKrPXpUZeco6aq4Nu0sMK6NT+vWGZaWxEFQ/TNwP5dV
-----END CERTIFICATE-----
`;
export const TEST_ROOT_CERT_FINGERPRINT =
  '68:43:92:09:29:E7:D8:A8:2C:CA:4E:47:64:3B:7F:9B:78:D0:1A:CC:1D:EB:18:86:C2:FA:62:37:1C:5E:AE:EA';

type Labels = Record<string, string>;

export function meta(
  name: string,
  ns?: string,
  labels: Labels = {},
  extra: object = {},
) {
  return { name, ...(ns ? { namespace: ns } : {}), labels, ...extra };
}

export function namespace(name: string, labels: Labels = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: meta(name, undefined, labels),
  };
}

export function node(name: string, region?: string, zone?: string) {
  return {
    apiVersion: 'meta.k8s.io/v1',
    kind: 'PartialObjectMetadata',
    metadata: meta(name, undefined, {
      'kubernetes.io/hostname': name,
      ...(region ? { 'topology.kubernetes.io/region': region } : {}),
      ...(zone ? { 'topology.kubernetes.io/zone': zone } : {}),
    }),
  };
}

/** A full Node object (labels and status.addresses), as the gateway-node list reads it. */
export function fullNode(
  name: string,
  labels: Labels,
  addresses: Array<{ type: string; address: string }>,
) {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: meta(name, undefined, {
      'kubernetes.io/hostname': name,
      ...labels,
    }),
    status: { addresses },
  };
}

export function deployment(
  name: string,
  ns: string,
  opts: {
    labels?: Labels;
    templateLabels?: Labels;
    replicas?: number;
    ready?: number;
    image?: string;
    env?: object[];
  } = {},
) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name, ns, opts.labels ?? {}),
    spec: {
      replicas: opts.replicas ?? 1,
      selector: { matchLabels: opts.templateLabels ?? { app: name } },
      template: {
        metadata: { labels: opts.templateLabels ?? { app: name } },
        spec: {
          containers: [
            {
              name: 'discovery',
              image: opts.image ?? `example/${name}:1.0.0`,
              env: opts.env ?? [],
            },
          ],
        },
      },
    },
    status: {
      replicas: opts.replicas ?? 1,
      readyReplicas: opts.ready ?? opts.replicas ?? 1,
    },
  };
}

export function pod(
  name: string,
  ns: string,
  opts: {
    labels?: Labels;
    nodeName?: string;
    sidecar?: boolean;
    nativeSidecar?: boolean;
    ready?: boolean;
    owner?: { kind: string; name: string };
    phase?: string;
    hostNetwork?: boolean;
    annotations?: Labels;
  } = {},
) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta(name, ns, opts.labels ?? {}, {
      ownerReferences: opts.owner
        ? [{ apiVersion: 'apps/v1', ...opts.owner, controller: true, uid: 'x' }]
        : [],
      ...(opts.annotations ? { annotations: opts.annotations } : {}),
    }),
    spec: {
      nodeName: opts.nodeName,
      ...(opts.hostNetwork ? { hostNetwork: true } : {}),
      containers: [
        { name: 'app', image: 'app:1' },
        ...(opts.sidecar
          ? [{ name: 'istio-proxy', image: 'proxyv2:1.22.4' }]
          : []),
      ],
      initContainers: opts.nativeSidecar
        ? [
            {
              name: 'istio-proxy',
              image: 'proxyv2:1.22.4',
              restartPolicy: 'Always',
            },
          ]
        : [],
    },
    status: {
      phase: opts.phase ?? 'Running',
      conditions: [
        { type: 'Ready', status: opts.ready === false ? 'False' : 'True' },
      ],
    },
  };
}

export function service(
  name: string,
  ns: string,
  opts: {
    labels?: Labels;
    selector?: Labels;
    ports?: unknown;
    type?: string;
    lbIngress?: object[];
    externalIPs?: string[];
    annotations?: Labels;
  } = {},
) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(
      name,
      ns,
      opts.labels ?? {},
      opts.annotations ? { annotations: opts.annotations } : {},
    ),
    spec: {
      type: opts.type ?? 'ClusterIP',
      clusterIP: '10.0.0.1',
      selector: opts.selector ?? { app: name },
      ports: opts.ports ?? [
        { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
      ],
      ...(opts.externalIPs ? { externalIPs: opts.externalIPs } : {}),
    },
    status: { loadBalancer: { ingress: opts.lbIngress ?? [] } },
  };
}

export function endpointSlice(
  name: string,
  ns: string,
  serviceName: string,
  endpoints: Array<{
    pod: string;
    ready?: boolean;
    nodeName?: string;
    ip?: string;
  }>,
) {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: meta(name, ns, { 'kubernetes.io/service-name': serviceName }),
    addressType: 'IPv4',
    endpoints: endpoints.map((e, i) => ({
      addresses: [e.ip ?? `10.1.0.${i + 1}`],
      conditions: { ready: e.ready ?? true },
      nodeName: e.nodeName,
      targetRef: { kind: 'Pod', name: e.pod, namespace: ns },
    })),
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  };
}

export function configMap(
  name: string,
  ns: string,
  data: Record<string, string>,
) {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(name, ns),
    data,
  };
}

export function customResource(
  apiVersion: string,
  kind: string,
  name: string,
  ns: string,
  spec: object,
  extra: { labels?: Labels; annotations?: Labels; status?: object } = {},
) {
  return {
    apiVersion,
    kind,
    metadata: meta(
      name,
      ns,
      extra.labels ?? {},
      extra.annotations ? { annotations: extra.annotations } : {},
    ),
    spec,
    ...(extra.status ? { status: extra.status } : {}),
  };
}

export function secretMetadata(
  name: string,
  ns: string,
  labels: Labels,
  annotations: Labels = {},
) {
  return {
    apiVersion: 'meta.k8s.io/v1',
    kind: 'PartialObjectMetadata',
    metadata: meta(name, ns, labels, { annotations }),
  };
}

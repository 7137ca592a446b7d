// Built-in CRD manifests (Istio networking/security, Alauda ServiceMesh) that a scenario can ask for with
// `builtinCrds: [istio, asm]` instead of carrying the CRD YAML in every cluster folder.
import type { JsonObject } from './json.ts';

interface CrdSpec {
  group: string;
  kind: string;
  plural: string;
  shortNames?: string[];
  categories?: string[];
  versions: string[];
  storage: string;
  columns?: Array<{
    name: string;
    jsonPath: string;
    type?: string;
    description?: string;
  }>;
  status?: boolean;
  age?: boolean;
}

const ISTIO_NETWORKING = ['v1', 'v1alpha3', 'v1beta1'];
const ISTIO_SECURITY = ['v1', 'v1beta1'];
const ISTIO_CATEGORIES = (g: string) => [
  'istio-io',
  `${g.split('.')[0]}-istio-io`,
];

const SPECS: Record<string, CrdSpec[]> = {
  istio: [
    {
      group: 'networking.istio.io',
      kind: 'DestinationRule',
      plural: 'destinationrules',
      shortNames: ['dr'],
      versions: ISTIO_NETWORKING,
      storage: 'v1alpha3',
      columns: [
        {
          name: 'Host',
          jsonPath: '.spec.host',
          description: 'The name of a service from the service registry',
        },
      ],
    },
    {
      group: 'networking.istio.io',
      kind: 'VirtualService',
      plural: 'virtualservices',
      shortNames: ['vs'],
      versions: ISTIO_NETWORKING,
      storage: 'v1alpha3',
      columns: [
        {
          name: 'Gateways',
          jsonPath: '.spec.gateways',
          description:
            'The names of gateways and sidecars that should apply these routes',
        },
        {
          name: 'Hosts',
          jsonPath: '.spec.hosts',
          description: 'The destination hosts to which traffic is being sent',
        },
      ],
    },
    {
      group: 'networking.istio.io',
      kind: 'Gateway',
      plural: 'gateways',
      shortNames: ['gw'],
      versions: ISTIO_NETWORKING,
      storage: 'v1alpha3',
    },
    {
      group: 'networking.istio.io',
      kind: 'ServiceEntry',
      plural: 'serviceentries',
      shortNames: ['se'],
      versions: ISTIO_NETWORKING,
      storage: 'v1alpha3',
      columns: [
        {
          name: 'Hosts',
          jsonPath: '.spec.hosts',
          description: 'The hosts associated with the ServiceEntry',
        },
        {
          name: 'Location',
          jsonPath: '.spec.location',
          description:
            'Whether the service is external to the mesh or part of the mesh (MESH_EXTERNAL or MESH_INTERNAL)',
        },
        {
          name: 'Resolution',
          jsonPath: '.spec.resolution',
          description:
            'Service resolution mode for the hosts (NONE, STATIC, or DNS)',
        },
      ],
    },
    {
      group: 'networking.istio.io',
      kind: 'Sidecar',
      plural: 'sidecars',
      versions: ISTIO_NETWORKING,
      storage: 'v1alpha3',
    },
    {
      group: 'security.istio.io',
      kind: 'PeerAuthentication',
      plural: 'peerauthentications',
      shortNames: ['pa'],
      versions: ISTIO_SECURITY,
      storage: 'v1beta1',
      columns: [
        {
          name: 'Mode',
          jsonPath: '.spec.mtls.mode',
          description: 'Defines the mTLS mode used for peer authentication.',
        },
      ],
    },
    {
      group: 'security.istio.io',
      kind: 'AuthorizationPolicy',
      plural: 'authorizationpolicies',
      shortNames: ['ap'],
      versions: ISTIO_SECURITY,
      storage: 'v1beta1',
      columns: [
        {
          name: 'Action',
          jsonPath: '.spec.action',
          description: 'The operation to take.',
        },
      ],
    },
  ],
  asm: [
    {
      group: 'asm.alauda.io',
      kind: 'ServiceMesh',
      plural: 'servicemeshes',
      versions: ['v1alpha1'],
      storage: 'v1alpha1',
      status: true,
      age: false,
      // The columns of `kubectl -n cpaas-system get servicemesh` in the Alauda installation guide.
      columns: [
        { name: 'State', jsonPath: '.status.state' },
        { name: 'SynthesisPhase', jsonPath: '.status.synthesisPhase' },
        { name: 'Phase', jsonPath: '.status.phase' },
        { name: 'Version', jsonPath: '.status.version' },
        { name: 'DesiredVersion', jsonPath: '.status.desiredVersion' },
      ],
    },
  ],
};

export const BUILTIN_CRD_SETS = Object.keys(SPECS);

function manifest(s: CrdSpec): JsonObject {
  const columns = [
    ...(s.columns ?? []).map(c => ({ type: 'string', ...c })),
    ...(s.age === false
      ? []
      : [
          {
            name: 'Age',
            type: 'date',
            jsonPath: '.metadata.creationTimestamp',
            description:
              'CreationTimestamp is a timestamp representing the server time when this object was created.',
          },
        ]),
  ];
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${s.plural}.${s.group}`,
      labels: s.group.endsWith('istio.io')
        ? { app: 'istio-pilot', release: 'istio' }
        : {},
    },
    spec: {
      group: s.group,
      names: {
        kind: s.kind,
        listKind: `${s.kind}List`,
        plural: s.plural,
        singular: s.kind.toLowerCase(),
        ...(s.shortNames ? { shortNames: s.shortNames } : {}),
        ...(s.group.endsWith('istio.io')
          ? { categories: ISTIO_CATEGORIES(s.group) }
          : {}),
      },
      scope: 'Namespaced',
      versions: s.versions.map(v => ({
        name: v,
        served: true,
        storage: v === s.storage,
        additionalPrinterColumns: columns,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            'x-kubernetes-preserve-unknown-fields': true,
          },
        },
        subresources: s.status === false ? {} : { status: {} },
      })),
    },
  };
}

/** CRD manifests of the named sets (`istio`, `asm`); unknown names throw. */
export function builtinCrds(sets: string[]): JsonObject[] {
  return sets.flatMap(set => {
    const specs = SPECS[set];
    if (!specs)
      throw new Error(
        `unknown builtinCrds set "${set}" (known: ${BUILTIN_CRD_SETS.join(
          ', ',
        )})`,
      );
    return specs.map(manifest);
  });
}

import { defineFindingCategory } from '../definition';
import { ISTIO_DOCS, istioSource } from './references';

export const SERVICE_ENTRY_FINDINGS = defineFindingCategory({
  id: 'serviceEntries',
  title: 'ServiceEntries across clusters',
  codes: {
    MESH064: {
      severity: 'warning',
      title:
        'Mesh-internal ServiceEntry host defined differently across clusters',
      description:
        'A MESH_INTERNAL ServiceEntry host is defined in several clusters by differently named ServiceEntries whose resolution or ports differ: each primary gives its clients its own definition, so the same call behaves differently per cluster.',
      scope: 'entity',
      fix: 'Define the host once and apply the same ServiceEntry (same name, namespace, resolution and ports) to every cluster: `for c in <clusters>; do kubectl apply -n <ns> -f serviceentry-<name>.yaml --context=$c; done`, and delete the other copies.',
      docs: {
        explanation:
          "istiod turns each ServiceEntry host into a service whose resolution and ports come from that ServiceEntry (pilot/pkg/serviceregistry/serviceentry/conversion.go convertServices), and reads ServiceEntries from its own cluster only: remote secrets share Services and endpoints, never Istio config. When clusters define the same MESH_INTERNAL host with a different resolution (STATIC, DNS, NONE) or different port numbers or protocols, a client's listeners, protocol sniffing and endpoints depend on the cluster it runs in. Copies with the same namespace and name are compared field by field by MESH052 instead; a consistent definition, and MESH_EXTERNAL hosts, are not reported.",
        references: [
          {
            title: 'Istio: ServiceEntry reference',
            url: 'https://istio.io/latest/docs/reference/config/networking/service-entry/',
          },
          istioSource(
            'pilot/pkg/serviceregistry/serviceentry/conversion.go',
            'convertServices',
          ),
          ISTIO_DOCS.multiclusterTraffic,
        ],
      },
    },
  },
});

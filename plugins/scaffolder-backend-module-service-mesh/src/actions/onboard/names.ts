/*
 * Checks on names that need no cluster: they fail the action before it reads anything.
 */
import { SYSTEM_NAMESPACES } from '@internal/plugin-service-mesh-common';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_LABEL_MAX = 63;

/** Prefixes of namespaces that belong to the platform; the same rule as the explicit SYSTEM_NAMESPACES list. */
const SYSTEM_NAMESPACE_PREFIXES = ['kube-', 'istio-', 'cpaas-'];

/** Why `name` is not a DNS-1123 label (what Kubernetes requires of a namespace name), or undefined. */
export function dns1123LabelProblem(
  name: string,
  what: string,
): string | undefined {
  if (!name) return `${what} is empty`;
  if (name.length > DNS1123_LABEL_MAX) {
    return `${what} '${name}' is longer than ${DNS1123_LABEL_MAX} characters`;
  }
  if (!DNS1123_LABEL.test(name)) {
    return (
      `${what} '${name}' is not a valid DNS-1123 label: use lower-case letters, digits and '-', ` +
      `starting and ending with a letter or digit`
    );
  }
  return undefined;
}

/**
 * Why `namespace` must not be onboarded, or undefined. Injecting sidecars into the platform's own namespaces
 * (the API server's, Istio's, Alauda's) can break the cluster or the mesh itself.
 */
export function systemNamespaceProblem(namespace: string): string | undefined {
  if (SYSTEM_NAMESPACES.includes(namespace)) {
    return `namespace '${namespace}' is a system namespace and cannot be onboarded into the mesh`;
  }
  const prefix = SYSTEM_NAMESPACE_PREFIXES.find(p => namespace.startsWith(p));
  if (prefix) {
    return `namespace '${namespace}' looks like a system namespace ('${prefix}*') and cannot be onboarded into the mesh`;
  }
  return undefined;
}

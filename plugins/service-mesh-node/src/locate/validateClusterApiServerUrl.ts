/*
 * The Kubernetes plugin's check of a catalog cluster's API server URL (@backstage/plugin-kubernetes-backend 0.21,
 * src/cluster-locator/validateClusterApiServerUrl.ts, not exported): anyone who can register a catalog entity
 * could otherwise make the backend send cluster credentials (an AWS token, an Azure token) to an address of
 * their choosing. HTTPS only, no credentials in the URL, no private or loopback address, unless the host is
 * listed in the locator's `dangerouslyAllowClusterUrls`.
 */
import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

export interface ClusterUrlOptions {
  dangerouslyAllowClusterUrls?: string[];
}

function isNonPublicIp(ip: string): boolean {
  try {
    return ipaddr.parse(ip).range() !== 'unicast';
  } catch {
    return true;
  }
}

function hostMatches(hostname: string, pattern: string): boolean {
  const host = hostname.toLowerCase();
  const p = pattern.toLowerCase();
  if (p.startsWith('*.'))
    return host.endsWith(p.slice(1)) || host === p.slice(2);
  return host === p;
}

export async function validateClusterApiServerUrl(
  apiServerUrl: string | undefined,
  options: ClusterUrlOptions = {},
): Promise<URL> {
  let url: URL;
  try {
    url = new URL(apiServerUrl ?? '');
  } catch {
    throw new Error('Kubernetes cluster API server URL is not a valid URL');
  }
  if (url.username || url.password) {
    throw new Error(
      'Kubernetes cluster API server URL must not contain credentials',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(
      'Kubernetes cluster API server URL must use the HTTP or HTTPS scheme',
    );
  }
  // URL keeps IPv6 literals in brackets.
  const hostname = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (
    (options.dangerouslyAllowClusterUrls ?? []).some(p =>
      hostMatches(hostname, p),
    )
  )
    return url;
  if (url.protocol !== 'https:') {
    throw new Error(
      'Kubernetes cluster API server URL must use the HTTPS scheme',
    );
  }
  if (ipaddr.isValid(hostname)) {
    if (isNonPublicIp(hostname)) {
      throw new Error(
        'Kubernetes cluster API server URL must not use a non-public IP address',
      );
    }
    return url;
  }
  const addresses = await lookup(hostname, { all: true });
  if (addresses.some(a => isNonPublicIp(a.address))) {
    throw new Error(
      `Kubernetes cluster API server URL hostname "${hostname}" resolves to a non-public address`,
    );
  }
  return url;
}

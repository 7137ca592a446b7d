import { useCallback } from 'react';
import { configApiRef, useApiHolder } from '@backstage/core-plugin-api';
import { findingDocsPath } from '@internal/plugin-service-mesh-common';
import { findingDocsRouteRef } from '../routes';
import { useOptionalRouteRef } from './useOptionalRouteRef';

export const FINDING_DOCS_BASE_URL_KEY = 'serviceMesh.links.findingDocsBaseUrl';

/** A code's page in externally published docs (`<base>/docs/findings/MESH010.md`). */
export function publishedFindingDocsUrl(base: string, path: string): string {
  return `${base.replace(/\/?$/, '/')}${path}`;
}

/**
 * Where a finding code's documentation is: the plugin's own page (`/service-mesh/findings/MESH010`, rendered from
 * the -common registry), or the published docs when `serviceMesh.links.findingDocsBaseUrl` overrides it.
 * Undefined only when neither is available (the app mounts no dashboard page and sets no base URL).
 */
export function useFindingDocsLink(): (code: string) => string | undefined {
  const base = useApiHolder()
    .get(configApiRef)
    ?.getOptionalString(FINDING_DOCS_BASE_URL_KEY);
  const page = useOptionalRouteRef(findingDocsRouteRef);
  return useCallback(
    (code: string) => {
      if (base) return publishedFindingDocsUrl(base, findingDocsPath(code));
      return page?.({ code });
    },
    [base, page],
  );
}

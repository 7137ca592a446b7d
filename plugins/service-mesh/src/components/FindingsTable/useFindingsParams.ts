import { useCallback } from 'react';
import { useLocation, useSearchParams } from 'react-router-dom';
import type { FindingSeverity } from '@internal/plugin-service-mesh-common';
import { SEVERITIES } from '../../utils/severity';
import { FindingsFilter } from './filterFindings';

/** URL query parameters, so a filtered view or an open finding can be linked. */
export const FINDING_PARAM = 'finding';
const FILTER_PARAMS = {
  severity: 'severity',
  code: 'code',
  cluster: 'cluster',
  text: 'q',
} as const;

/** The findings filter and the open finding, kept in the URL. */
export function useFindingsParams() {
  const [searchParams, setSearchParams] = useSearchParams();
  const { pathname } = useLocation();

  const severity = searchParams.get(FILTER_PARAMS.severity) ?? undefined;
  const filter: FindingsFilter = {
    severity: SEVERITIES.includes(severity as FindingSeverity)
      ? (severity as FindingSeverity)
      : undefined,
    code: searchParams.get(FILTER_PARAMS.code) ?? undefined,
    cluster: searchParams.get(FILTER_PARAMS.cluster) ?? undefined,
    text: searchParams.get(FILTER_PARAMS.text) ?? undefined,
  };
  const openFindingId = searchParams.get(FINDING_PARAM) ?? undefined;

  const setFilter = useCallback(
    (key: keyof FindingsFilter, value: string | undefined) => {
      setSearchParams(
        previous => {
          const next = new URLSearchParams(previous);
          if (value) next.set(FILTER_PARAMS[key], value);
          else next.delete(FILTER_PARAMS[key]);
          return next;
        },
        { replace: true },
      );
    },
    [setSearchParams],
  );

  const closeFinding = useCallback(() => {
    setSearchParams(previous => {
      const next = new URLSearchParams(previous);
      next.delete(FINDING_PARAM);
      return next;
    });
  }, [setSearchParams]);

  /** The link (`<this page>?…&finding=<id>`) that opens a finding, keeping the current filters. */
  const findingLink = useCallback(
    (id: string) => {
      const next = new URLSearchParams(searchParams);
      next.set(FINDING_PARAM, id);
      return `${pathname}?${next.toString()}`;
    },
    [pathname, searchParams],
  );

  return { filter, setFilter, openFindingId, closeFinding, findingLink };
}

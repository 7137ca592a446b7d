import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import { fetchOverview } from './fetchOverview';
import { meshMembers, meshTargetProblems } from './meshTarget';
import type { ServiceMeshClusterPickerValue } from './schema';

/**
 * Form validation: at least one cluster, and a revision that runs on every selected cluster. If the backend
 * cannot be asked, only the local checks apply; the action validates against the live clusters anyway.
 */
export const serviceMeshClusterPickerValidation: CustomFieldValidator<
  ServiceMeshClusterPickerValue
> = async (value, validation, { apiHolder }) => {
  const local = meshTargetProblems(value);
  if (local.length) {
    local.forEach(problem => validation.addError(problem));
    return;
  }
  const discoveryApi = apiHolder.get(discoveryApiRef);
  const fetchApi = apiHolder.get(fetchApiRef);
  if (!discoveryApi || !fetchApi) return;
  let members;
  try {
    members = meshMembers(await fetchOverview({ discoveryApi, fetchApi }));
  } catch {
    return;
  }
  meshTargetProblems(value, members).forEach(problem =>
    validation.addError(problem),
  );
};

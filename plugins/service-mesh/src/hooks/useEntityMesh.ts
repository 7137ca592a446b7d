import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { getEntitySelector } from '@internal/plugin-service-mesh-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { serviceMeshApiRef } from '../api';

/**
 * The entity's mesh view from `GET /entity`. `annotated` is false (and nothing is fetched) when the entity has
 * none of the Kubernetes plugin's annotations.
 */
export function useEntityMesh(entity: Entity) {
  const api = useApi(serviceMeshApiRef);
  const annotated = getEntitySelector(entity) !== undefined;
  const entityRef = stringifyEntityRef(entity);
  const state = useAsyncRetry(
    async () => (annotated ? api.getEntity(entityRef) : undefined),
    [api, entityRef, annotated],
  );
  return { ...state, annotated, entityRef };
}

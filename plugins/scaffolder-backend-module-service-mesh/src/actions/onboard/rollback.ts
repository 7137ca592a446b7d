/*
 * Undoes what the action changed on a cluster: deletes a namespace it created (with anything in it, e.g. the
 * PeerAuthentication), deletes a PeerAuthentication it created, and removes the labels it added, but only those
 * that still carry the value it set, so a concurrent change by someone else is left alone.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { MAX_ATTEMPTS } from './apply';
import { isKubeStatus } from '@internal/plugin-service-mesh-node';
import { OnboardClusterClient } from './OnboardClusterClient';
import { ClusterChange } from './types';

export function isEmptyChange(change: ClusterChange): boolean {
  return (
    !change.namespaceCreated &&
    !change.peerAuthenticationCreated &&
    Object.keys(change.labelsAdded).length === 0
  );
}

export async function rollbackClusterChange(options: {
  client: OnboardClusterClient;
  namespace: string;
  change: ClusterChange;
  logger?: LoggerService;
}): Promise<void> {
  const { client, namespace, change, logger } = options;
  if (change.namespaceCreated) {
    await ignoreNotFound(client.deleteNamespace(namespace));
    logger?.info(
      `${change.cluster}: rolled back: deleted namespace ${namespace}, which this task created`,
    );
    return;
  }
  if (change.peerAuthenticationCreated && change.peerAuthenticationApiVersion) {
    await ignoreNotFound(
      client.deletePeerAuthentication(
        namespace,
        change.peerAuthenticationApiVersion,
      ),
    );
    logger?.info(
      `${change.cluster}: rolled back: deleted PeerAuthentication ${namespace}/default`,
    );
  }
  if (Object.keys(change.labelsAdded).length) {
    await removeLabels(client, namespace, change.labelsAdded);
    logger?.info(
      `${change.cluster}: rolled back: removed the labels this task added to namespace ${namespace}`,
    );
  }
}

async function removeLabels(
  client: OnboardClusterClient,
  namespace: string,
  added: Record<string, string>,
) {
  for (let attempt = 1; ; attempt++) {
    const state = await client.readNamespace(namespace);
    if (!state) return;
    const ours = Object.keys(added).filter(
      key => state.labels[key] === added[key],
    );
    if (ours.length === 0) return;
    try {
      await client.patchNamespaceLabels(
        namespace,
        Object.fromEntries(ours.map(key => [key, null])),
        state.resourceVersion,
      );
      return;
    } catch (error) {
      if (!isKubeStatus(error, 409) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

async function ignoreNotFound(request: Promise<unknown>): Promise<void> {
  try {
    await request;
  } catch (error) {
    if (!isKubeStatus(error, 404)) throw error;
  }
}

export {
  createOnboardNamespaceAction,
  ONBOARD_ACTION_ID,
} from './onboardNamespace';
export type { OnboardNamespaceActionOptions } from './onboardNamespace';
export type { OnboardClusters } from './clusters';
export type { OnboardClusterClient } from './OnboardClusterClient';
export type {
  ClusterResult,
  ClusterResultStatus,
  LabelStyle,
  NamespaceState,
  PeerAuthenticationState,
} from './types';

import { useState } from 'react';
import type { TrafficWindow } from '@internal/plugin-service-mesh-common';

/** The selected traffic window (5m by default, the window of the Istio guide's queries). */
export function useTrafficWindow(initial: TrafficWindow = '5m') {
  return useState<TrafficWindow>(initial);
}

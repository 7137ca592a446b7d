import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import {
  TRAFFIC_WINDOWS,
  type TrafficWindow,
} from '@internal/plugin-service-mesh-common';

export interface TrafficWindowSelectorProps {
  value: TrafficWindow;
  onChange: (window: TrafficWindow) => void;
  disabled?: boolean;
}

/** Tooltips; the accessible name stays the visible `5m`/`1h`/`24h` (WCAG 2.5.3). */
const LABELS: Record<TrafficWindow, string> = {
  '5m': 'Last 5 minutes',
  '1h': 'Last hour',
  '24h': 'Last 24 hours',
};

/** 5m / 1h / 24h: the window live traffic is measured over. */
export function TrafficWindowSelector(props: TrafficWindowSelectorProps) {
  return (
    <ToggleButtonGroup
      size="small"
      exclusive
      value={props.value}
      aria-label="Traffic window"
      onChange={(_event, value: TrafficWindow | null) => {
        // Clicking the selected button again would clear the selection: keep it.
        if (value) props.onChange(value);
      }}
    >
      {TRAFFIC_WINDOWS.map(window => (
        <ToggleButton
          key={window}
          value={window}
          title={LABELS[window]}
          disabled={props.disabled}
        >
          {window}
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
}

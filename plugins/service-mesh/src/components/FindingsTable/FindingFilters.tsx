import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import type { Finding } from '@internal/plugin-service-mesh-common';
import { SEVERITIES } from '../../utils/severity';
import { FindingsFilter } from './filterFindings';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    padding: theme.spacing(2, 2, 1),
  },
  select: { minWidth: 140 },
  text: { minWidth: 220, flexGrow: 1 },
}));

export interface FindingFiltersProps {
  findings: Finding[];
  filter: FindingsFilter;
  onChange(key: keyof FindingsFilter, value: string | undefined): void;
}

function FilterSelect(props: {
  id: string;
  label: string;
  value?: string;
  options: Array<{ value: string; label: string }>;
  onChange(value: string | undefined): void;
}) {
  const classes = useStyles();
  return (
    <TextField
      id={props.id}
      select
      label={props.label}
      value={props.value ?? ''}
      onChange={event => props.onChange(event.target.value || undefined)}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      variant="outlined"
      size="small"
      className={classes.select}
    >
      <option value="">All</option>
      {props.options.map(option => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </TextField>
  );
}

/** Severity, code, cluster and free-text filters; options come from the findings shown. */
export function FindingFilters(props: FindingFiltersProps) {
  const classes = useStyles();
  const { findings, filter, onChange } = props;
  const codes = [...new Set(findings.map(f => f.code))].sort();
  const clusters = [...new Set(findings.flatMap(f => f.clusters))].sort();
  return (
    <div className={classes.root} role="search" aria-label="Filter findings">
      <FilterSelect
        id="finding-filter-severity"
        label="Severity"
        value={filter.severity}
        options={SEVERITIES.map(s => ({
          value: s,
          label: s[0].toUpperCase() + s.slice(1),
        }))}
        onChange={value => onChange('severity', value)}
      />
      <FilterSelect
        id="finding-filter-code"
        label="Code"
        value={filter.code}
        options={codes.map(code => ({ value: code, label: code }))}
        onChange={value => onChange('code', value)}
      />
      <FilterSelect
        id="finding-filter-cluster"
        label="Cluster"
        value={filter.cluster}
        options={clusters.map(name => ({ value: name, label: name }))}
        onChange={value => onChange('cluster', value)}
      />
      <TextField
        id="finding-filter-text"
        label="Search findings"
        type="search"
        value={filter.text ?? ''}
        onChange={event => onChange('text', event.target.value || undefined)}
        variant="outlined"
        size="small"
        className={classes.text}
      />
    </div>
  );
}

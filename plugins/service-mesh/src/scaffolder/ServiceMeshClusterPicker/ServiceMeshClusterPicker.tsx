import { useEffect, useRef } from 'react';
import { Progress } from '@backstage/core-components';
import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import TextField from '@material-ui/core/TextField';
import useAsync from 'react-use/esm/useAsync';
import { fetchOverview } from './fetchOverview';
import {
  commonRevision,
  defaultTarget,
  injectableNames,
  MeshMember,
  MeshTarget,
  meshMembers,
  meshTargetProblems,
  revisionOptions,
} from './meshTarget';
import type { ServiceMeshClusterPickerProps } from './schema';

/**
 * Picks the mesh member clusters to onboard a namespace on (all by default) and the Istio revision (by default
 * the newest one every selected cluster runs), from the service-mesh backend's overview.
 */
export function ServiceMeshClusterPicker(props: ServiceMeshClusterPickerProps) {
  const {
    formData,
    onChange,
    rawErrors,
    schema,
    uiSchema,
    required,
    idSchema,
  } = props;
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const {
    value: members,
    loading,
    error,
  } = useAsync(
    async () => meshMembers(await fetchOverview({ discoveryApi, fetchApi })),
    [discoveryApi, fetchApi],
  );

  // Start from every member and their common revision unless the form already has a choice (e.g. going back).
  // The scaffolder's form starts the array with RJSF defaults (`[]`, or `[null]` for `minItems: 1`) and may
  // merge that default state after our first onChange, so the default is applied again while no cluster is
  // chosen and the field is untouched (a few times at most).
  const chosen = pickedClusters(formData);
  const touched = useRef(false);
  const defaultsApplied = useRef(0);
  useEffect(() => {
    if (!members || touched.current || chosen.length) return;
    if (defaultsApplied.current >= 5) return;
    defaultsApplied.current += 1;
    onChange(defaultTarget(members));
  }, [members, chosen.length, onChange]);

  const title = schema.title ?? 'Clusters';
  const id = idSchema?.$id ?? 'service-mesh-cluster-picker';
  if (loading) return <Progress />;
  if (error || !members) {
    return (
      <FormControl error required={required} fullWidth>
        <FormLabel>{title}</FormLabel>
        <FormHelperText>
          Could not load the clusters of the mesh:{' '}
          {error?.message ?? 'no answer'}
        </FormHelperText>
      </FormControl>
    );
  }
  if (members.length === 0) {
    return (
      <FormControl error required={required} fullWidth>
        <FormLabel>{title}</FormLabel>
        <FormHelperText>
          The service mesh has no member clusters.
        </FormHelperText>
      </FormControl>
    );
  }

  const target: MeshTarget = {
    clusters: chosen,
    revision: formData?.revision ?? '',
  };
  const toggle = (name: string, checked: boolean) => {
    touched.current = true;
    const picked = checked
      ? [...target.clusters, name]
      : target.clusters.filter(c => c !== name);
    const clusters = members.map(m => m.name).filter(c => picked.includes(c));
    // Keep the chosen revision while it still makes sense, else fall back to the common one.
    const keep =
      target.revision &&
      revisionOptions(members, clusters).includes(target.revision);
    onChange({
      clusters,
      revision: keep
        ? target.revision
        : commonRevision(members, clusters) ?? '',
    });
  };
  const problems = meshTargetProblems(target, members);
  const options = revisionOptions(members, target.clusters);
  const revisionTitle =
    uiSchema?.['ui:options']?.revisionTitle ?? 'Istio revision';

  return (
    <Box>
      <FormControl
        component="fieldset"
        required={required}
        error={Boolean(rawErrors?.length) || target.clusters.length === 0}
        fullWidth
      >
        <FormLabel component="legend">{title}</FormLabel>
        <FormGroup>
          {members.map(member => (
            <FormControlLabel
              key={member.name}
              control={
                <Checkbox
                  checked={target.clusters.includes(member.name)}
                  onChange={event => toggle(member.name, event.target.checked)}
                  name={member.name}
                />
              }
              label={clusterLabel(member)}
            />
          ))}
        </FormGroup>
        {schema.description && (
          <FormHelperText>{schema.description}</FormHelperText>
        )}
      </FormControl>
      <Box mt={2}>
        <TextField
          id={`${id}-revision`}
          select
          label={revisionTitle}
          value={target.revision}
          onChange={event =>
            onChange({ ...target, revision: event.target.value as string })
          }
          SelectProps={{ native: true }}
          InputLabelProps={{ shrink: true }}
          disabled={target.clusters.length === 0}
          error={problems.length > 0}
          fullWidth
          required={required}
        >
          <option value="" disabled>
            {options.length
              ? 'Select a revision'
              : 'No istiod runs on the selected clusters'}
          </option>
          {options.map(revision => (
            <option key={revision} value={revision}>
              {revisionLabel(revision, members, target.clusters)}
            </option>
          ))}
        </TextField>
      </Box>
      {[
        ...problems,
        ...(rawErrors ?? []).filter(e => !problems.includes(e)),
      ].map(problem => (
        <FormHelperText key={problem} error>
          {problem}
        </FormHelperText>
      ))}
    </Box>
  );
}

/** The cluster names in the field's value, without the placeholders RJSF fills arrays with. */
function pickedClusters(formData: Partial<MeshTarget> | undefined): string[] {
  return (formData?.clusters ?? []).filter(
    (c): c is string => typeof c === 'string' && c.length > 0,
  );
}

function clusterLabel(member: MeshMember): string {
  const tags = member.tags.map(t => `tag ${t.tag} → ${t.revision}`);
  const revisions = member.revisions.length
    ? `istiod ${[member.revisions.join(', '), ...tags].join('; ')}`
    : 'no istiod';
  const status = member.status === 'ok' ? '' : `, ${member.status}`;
  return `${member.name} (${revisions}${status})`;
}

function revisionLabel(
  revision: string,
  members: MeshMember[],
  clusters: string[],
): string {
  const selected = members.filter(m => clusters.includes(m.name));
  const missing = selected
    .filter(m => !injectableNames(m).includes(revision))
    .map(m => m.name);
  const targets = [
    ...new Set(
      selected.flatMap(m =>
        m.tags.filter(t => t.tag === revision).map(t => t.revision),
      ),
    ),
  ];
  const name = targets.length
    ? `${revision} (tag → ${targets.join(', ')})`
    : revision;
  return missing.length ? `${name} (not on ${missing.join(', ')})` : name;
}

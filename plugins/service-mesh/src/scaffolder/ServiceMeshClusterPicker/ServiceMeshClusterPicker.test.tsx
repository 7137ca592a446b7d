import { useState } from 'react';
import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { OverviewResponse } from '@internal/plugin-service-mesh-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ServiceMeshClusterPicker } from './ServiceMeshClusterPicker';
import type { MeshTarget } from './meshTarget';
import { serviceMeshClusterPickerValidation } from './validation';

function cluster(
  name: string,
  revisions: string[],
  role: 'member' | 'management' = 'member',
  revisionTags: OverviewResponse['clusters'][number]['revisionTags'] = [],
) {
  return {
    name,
    role,
    status: 'ok',
    revisions,
    revisionTags,
  } as unknown as OverviewResponse['clusters'][number];
}

function overview(clusters: OverviewResponse['clusters']): OverviewResponse {
  return {
    generatedAt: '2026-01-15T08:00:00Z',
    managementCluster: 'global',
    multiNetwork: true,
    clusters: [cluster('global', [], 'management'), ...clusters],
    reachability: { clusters: [], multiNetwork: true, pairs: [], networks: [] },
    findings: [],
  };
}

/** cluster3 runs a canary 1-21 next to 1-22. */
const CANARY = overview([
  cluster('cluster1', ['1-22']),
  cluster('cluster2', ['1-22']),
  cluster('cluster3', ['1-21', '1-22']),
]);
/** cluster3 was not upgraded: only 1-21. */
const SKEW = overview([
  cluster('cluster1', ['1-22']),
  cluster('cluster2', ['1-22']),
  cluster('cluster3', ['1-21']),
]);

/** Every cluster runs 1-22; cluster2 and cluster3 have the tag prod → 1-22, cluster1 has a stale tag. */
const TAGGED = overview([
  cluster('cluster1', ['1-22'], 'member', [
    { tag: 'prod', revision: '1-21', runs: false },
  ]),
  cluster('cluster2', ['1-22'], 'member', [
    { tag: 'prod', revision: '1-22', runs: true },
  ]),
  cluster('cluster3', ['1-22'], 'member', [
    { tag: 'prod', revision: '1-22', runs: true },
  ]),
]);

function apis(response: OverviewResponse | Error) {
  const fetch = jest.fn(async (_url: string) => {
    if (response instanceof Error) throw response;
    return { ok: true, status: 200, json: async () => response } as Response;
  });
  const discoveryApi = {
    getBaseUrl: async (pluginId: string) =>
      `http://localhost:7007/api/${pluginId}`,
  };
  return {
    fetch,
    discoveryApi,
    fetchApi: { fetch: fetch as unknown as typeof globalThis.fetch },
  };
}

async function renderPicker(
  response: OverviewResponse | Error,
  initial?: MeshTarget,
) {
  const { fetch, discoveryApi, fetchApi } = apis(response);
  const values: MeshTarget[] = [];
  function Form() {
    const [value, setValue] = useState<MeshTarget | undefined>(initial);
    const props = {
      formData: value,
      onChange: (next: MeshTarget) => {
        values.push(next);
        setValue(next);
      },
      schema: {
        title: 'Clusters',
        description: 'Where the namespace joins the mesh',
      },
      uiSchema: {},
      rawErrors: [],
      required: true,
      idSchema: { $id: 'root_target' },
    };
    return <ServiceMeshClusterPicker {...(props as any)} />;
  }
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [discoveryApiRef, discoveryApi],
        [fetchApiRef, fetchApi],
      ]}
    >
      <Form />
    </TestApiProvider>,
  );
  return { fetch, values, last: () => values[values.length - 1] };
}

const revisionSelect = () =>
  screen.getByRole('combobox', { name: /Istio revision/ });

describe('ServiceMeshClusterPicker', () => {
  it.each([
    [{ clusters: [], revision: '' }],
    [{ clusters: [null], revision: undefined }],
  ])(
    'preselects every member when the scaffolder form starts the field as %j',
    async initial => {
      // What the scaffolder's form passes on first render: RJSF fills `minItems: 1` arrays with `[null]`
      // (regression: nothing was checked in the running app).
      const { last } = await renderPicker(CANARY, initial as any);
      const boxes = await screen.findAllByRole('checkbox');
      expect(boxes.every(b => (b as HTMLInputElement).checked)).toBe(true);
      expect(last()).toEqual({
        clusters: ['cluster1', 'cluster2', 'cluster3'],
        revision: '1-22',
      });
    },
  );

  it('lists the member clusters from the overview, all checked, with the common revision selected', async () => {
    const { fetch, last } = await renderPicker(CANARY);

    expect(fetch).toHaveBeenCalledWith(
      'http://localhost:7007/api/service-mesh/overview',
    );
    const boxes = await screen.findAllByRole('checkbox');
    expect(boxes.map(b => (b as HTMLInputElement).name)).toEqual([
      'cluster1',
      'cluster2',
      'cluster3',
    ]);
    expect(boxes.every(b => (b as HTMLInputElement).checked)).toBe(true);
    expect(
      screen.queryByRole('checkbox', { name: /global/ }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByRole('checkbox', { name: 'cluster3 (istiod 1-21, 1-22)' }),
    ).toBeInTheDocument();
    expect(last()).toEqual({
      clusters: ['cluster1', 'cluster2', 'cluster3'],
      revision: '1-22',
    });
    expect(revisionSelect()).toHaveValue('1-22');
    expect(
      within(revisionSelect()).getByRole('option', {
        name: '1-21 (not on cluster1, cluster2)',
      }),
    ).toBeInTheDocument();
  });

  it('names the clusters where the chosen revision does not run, until they are left out', async () => {
    const { last } = await renderPicker(CANARY);
    await screen.findAllByRole('checkbox');

    await userEvent.selectOptions(revisionSelect(), '1-21');
    expect(last()).toEqual({
      clusters: ['cluster1', 'cluster2', 'cluster3'],
      revision: '1-21',
    });
    expect(
      screen.getByText(/Revision 1-21 does not run on cluster1, cluster2/),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('checkbox', { name: /cluster1/ }));
    await userEvent.click(screen.getByRole('checkbox', { name: /cluster2/ }));
    expect(last()).toEqual({ clusters: ['cluster3'], revision: '1-21' });
    expect(screen.queryByText(/does not run on/)).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('checkbox', { name: /cluster3/ }));
    expect(last()).toEqual({ clusters: [], revision: '' });
    expect(
      screen.getByText('Select at least one cluster of the mesh.'),
    ).toBeInTheDocument();
  });

  it('preselects no revision when the clusters share none, and picks the common one once the odd cluster is left out', async () => {
    const { last } = await renderPicker(SKEW);
    await screen.findAllByRole('checkbox');
    expect(last()).toEqual({
      clusters: ['cluster1', 'cluster2', 'cluster3'],
      revision: '',
    });
    expect(
      screen.getByText('Select the Istio revision the namespace should use.'),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('checkbox', { name: /cluster3/ }));
    expect(last()).toEqual({
      clusters: ['cluster1', 'cluster2'],
      revision: '1-22',
    });
  });

  // Failed before revision tags: a tag was not offered, and choosing it was "does not run" everywhere.
  it('offers revision tags after the revisions, naming where they point, and where they do not reach an istiod', async () => {
    const { last } = await renderPicker(TAGGED);
    await screen.findAllByRole('checkbox');
    // The revision stays the default choice; the tag is an option.
    expect(last()).toEqual({
      clusters: ['cluster1', 'cluster2', 'cluster3'],
      revision: '1-22',
    });
    expect(
      screen.getByRole('checkbox', {
        name: 'cluster2 (istiod 1-22; tag prod → 1-22)',
      }),
    ).toBeInTheDocument();
    expect(
      within(revisionSelect())
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual([
      'Select a revision',
      '1-22',
      'prod (tag → 1-22) (not on cluster1)',
    ]);
    await userEvent.selectOptions(revisionSelect(), 'prod');
    expect(
      screen.getByText(/Revision prod does not run on cluster1/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('checkbox', { name: /cluster1/ }));
    expect(last()).toEqual({
      clusters: ['cluster2', 'cluster3'],
      revision: 'prod',
    });
    expect(screen.queryByText(/does not run on/)).not.toBeInTheDocument();
  });

  it('keeps a value the form already has', async () => {
    const { values } = await renderPicker(CANARY, {
      clusters: ['cluster2'],
      revision: '1-22',
    });
    await screen.findAllByRole('checkbox');
    expect(values).toEqual([]);
    expect(
      screen.getByRole('checkbox', { name: /cluster1/ }),
    ).not.toBeChecked();
    expect(screen.getByRole('checkbox', { name: /cluster2/ })).toBeChecked();
  });

  it('says so when the backend cannot be reached', async () => {
    await renderPicker(new Error('service-mesh backend is down'));
    expect(
      await screen.findByText(
        /Could not load the clusters of the mesh: service-mesh backend is down/,
      ),
    ).toBeInTheDocument();
  });
});

describe('serviceMeshClusterPickerValidation', () => {
  async function validate(
    value: Partial<MeshTarget>,
    response: OverviewResponse | Error = SKEW,
  ) {
    const { discoveryApi, fetchApi } = apis(response);
    const errors: string[] = [];
    const apiHolder = {
      get: (ref: { id: string }) =>
        ({ [discoveryApiRef.id]: discoveryApi, [fetchApiRef.id]: fetchApi }[
          ref.id
        ]),
    };
    await serviceMeshClusterPickerValidation(
      value as MeshTarget,
      { addError: (e: string) => errors.push(e) } as any,
      {
        apiHolder: apiHolder as any,
        formData: {},
        schema: {},
      },
    );
    return errors;
  }

  it('needs at least one cluster and a revision', async () => {
    expect(await validate({ clusters: [], revision: '1-22' })).toEqual([
      'Select at least one cluster of the mesh.',
    ]);
    expect(await validate({ clusters: ['cluster1'], revision: '' })).toEqual([
      'Select the Istio revision the namespace should use.',
    ]);
  });

  it('checks against the backend that the revision runs on every selected cluster', async () => {
    expect(
      await validate({ clusters: ['cluster1', 'cluster3'], revision: '1-22' }),
    ).toEqual([
      'Revision 1-22 does not run on cluster3: pick another revision or leave that cluster out.',
    ]);
    expect(
      await validate({ clusters: ['cluster1', 'global'], revision: '1-22' }),
    ).toEqual(['Not a member cluster of the mesh: global.']);
    expect(
      await validate({ clusters: ['cluster1', 'cluster2'], revision: '1-22' }),
    ).toEqual([]);
  });

  it('leaves the check to the action when the backend cannot be asked', async () => {
    expect(
      await validate(
        { clusters: ['cluster3'], revision: '1-22' },
        new Error('down'),
      ),
    ).toEqual([]);
  });
});

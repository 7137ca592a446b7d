import { node } from '../__testUtils__/objects';
import { mapNodes } from './nodes';
import { MappingContext } from './objects';

describe('mapNodes', () => {
  it('counts nodes per region/zone and lists unlabelled nodes', () => {
    const { localities, nodeLocality } = mapNodes(
      [
        node('n1', 'region1', 'zone1'),
        node('n2', 'region1', 'zone1'),
        node('n3', 'region1', 'zone2'),
        node('n4', 'region1'),
        {
          metadata: {
            name: 'n5',
            labels: {
              'failure-domain.beta.kubernetes.io/region': 'r2',
              'failure-domain.beta.kubernetes.io/zone': 'z2',
            },
          },
        },
      ],
      new MappingContext(),
    );
    expect(localities).toEqual({
      total: 5,
      byLocality: [
        { region: 'r2', zone: 'z2', nodes: 1 },
        { region: 'region1', zone: 'zone1', nodes: 2 },
        { region: 'region1', zone: 'zone2', nodes: 1 },
      ],
      unlabelled: ['n4'],
      unlabelledCount: 1,
    });
    expect(nodeLocality.get('n3')).toEqual({
      region: 'region1',
      zone: 'zone2',
    });
  });
});

import { legacyReportsEntity, productServiceEntity } from './__fixtures__';
import { isServiceMeshAvailable } from './isServiceMeshAvailable';

describe('isServiceMeshAvailable', () => {
  it('follows the Kubernetes plugin annotations', () => {
    expect(isServiceMeshAvailable(productServiceEntity)).toBe(true);
    expect(isServiceMeshAvailable(legacyReportsEntity)).toBe(false);
    expect(
      isServiceMeshAvailable({
        ...legacyReportsEntity,
        metadata: {
          name: 'by-selector',
          annotations: {
            'backstage.io/kubernetes-label-selector': 'app=reports',
          },
        },
      }),
    ).toBe(true);
  });
});

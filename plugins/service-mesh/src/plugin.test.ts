import {
  EntityServiceMeshCard,
  EntityServiceMeshContent,
  ServiceMeshPage,
  serviceMeshPlugin,
} from './plugin';
import { serviceMeshApiRef } from './api';

describe('serviceMeshPlugin (legacy frontend system)', () => {
  it('registers the API client and exports its extensions', () => {
    expect(serviceMeshPlugin.getId()).toBe('service-mesh');
    expect(
      [...serviceMeshPlugin.getApis()].map(factory => factory.api.id),
    ).toEqual([serviceMeshApiRef.id]);
    expect(ServiceMeshPage).toBeDefined();
    expect(EntityServiceMeshContent).toBeDefined();
    expect(EntityServiceMeshCard).toBeDefined();
  });
});

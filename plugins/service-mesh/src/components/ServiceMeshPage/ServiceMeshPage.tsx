import { Content, Header, Page } from '@backstage/core-components';
import { ServiceMeshRoutes } from '../ServiceMeshRoutes';

/** The platform dashboard page and the finding docs (legacy frontend system: the page brings its own header). */
export function ServiceMeshPage() {
  return (
    <Page themeId="tool">
      <Header title="Service Mesh" subtitle="Multi-cluster Istio health" />
      <Content>
        <ServiceMeshRoutes />
      </Content>
    </Page>
  );
}

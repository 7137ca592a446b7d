import { Content, Header, Page } from '@backstage/core-components';
import { ServiceMeshDashboard } from '../ServiceMeshDashboard';

/** The platform dashboard page (legacy frontend system: the page brings its own header). */
export function ServiceMeshPage() {
  return (
    <Page themeId="tool">
      <Header title="Service Mesh" subtitle="Multi-cluster Istio health" />
      <Content>
        <ServiceMeshDashboard />
      </Content>
    </Page>
  );
}

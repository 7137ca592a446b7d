import { Route, Routes } from 'react-router-dom';
import { FindingDocsPage } from '../FindingDocs';
import { ServiceMeshDashboard } from '../ServiceMeshDashboard';

/** What the plugin's page holds: the dashboard, and each finding code's docs (`findings/:code`, findingDocsRouteRef). */
export function ServiceMeshRoutes() {
  return (
    <Routes>
      <Route path="/" element={<ServiceMeshDashboard />} />
      <Route path="/findings/:code" element={<FindingDocsPage />} />
    </Routes>
  );
}

import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { serviceMeshScaffolderModule } from '@internal/plugin-service-mesh/alpha';
import { navModule } from './modules/nav';

// Plugins listed in package.json (kubernetes, scaffolder, service-mesh, …) are discovered through
// `app.packages: all` in app-config.yaml: the service-mesh plugin brings its dashboard page (/service-mesh, in
// the sidebar), the entity tab and the entity overview card. Modules are not discovered, so the mesh's
// scaffolder form field is installed here.
export default createApp({
  features: [catalogPlugin, navModule, serviceMeshScaffolderModule],
});

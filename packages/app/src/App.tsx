import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { navModule } from './modules/nav';

// Plugins listed in package.json (kubernetes, scaffolder, service-mesh, …) are discovered through
// `app.packages: all` in app-config.yaml.
export default createApp({
  features: [catalogPlugin, navModule],
});

import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The tests wait for what they look for (findBy…, waitFor): give a loaded machine, where rendering a whole page in
// jsdom can take seconds, time to get there. A test that fails still fails, only later.
configure({ asyncUtilTimeout: 15_000 });

import { mockServices, TestDatabases } from '@backstage/backend-test-utils';

// Backstage's DatabaseManager does not destroy SQLite connections when a backend stops (backend-defaults,
// DatabaseManager.shutdown: "sqlite3 does not support destroy, it hangs"), so every test backend on the default
// database leaves a knex pool and its reaping interval behind, and the jest worker cannot exit ("A worker process
// has failed to exit gracefully"). Test backends get their database here instead: TestDatabases destroys it after
// the test file (its afterAll runs after startTestBackend's, which stops the backends).
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** The database service of a test backend, destroyed after the test file. */
export async function testDatabase() {
  return mockServices.database.factory({
    knex: await databases.init('SQLITE_3'),
  });
}

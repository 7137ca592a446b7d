import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';

/**
 * The databases the snapshot store's tests run on: SQLite always, PostgreSQL too when
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set. The production test script runs them on its own
 * PostgreSQL only (MESH_TEST_DATABASES=POSTGRES_15), so that the SQLite variants, which the jest step already
 * ran, are neither repeated nor reported as skipped.
 */
export function storeTestDatabases(): TestDatabases {
  const only = process.env.MESH_TEST_DATABASES?.split(',').filter(Boolean);
  return TestDatabases.create({
    ids: (only ?? ['POSTGRES_15', 'SQLITE_3']) as TestDatabaseId[],
    disableDocker: true,
  });
}

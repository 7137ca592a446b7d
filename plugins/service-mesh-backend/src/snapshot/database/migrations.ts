/*
 * The plugin's tables, created with knex migrations kept in code (a migration source), so that they run the
 * same from the sources, a bundle or a test, and never depend on a folder next to the package.
 */
import type { DatabaseService } from '@backstage/backend-plugin-api';

/** The knex client of a plugin database (without depending on knex for the type). */
export type Knex = Awaited<ReturnType<DatabaseService['getClient']>>;

export const MANIFEST_TABLE = 'service_mesh_snapshot_manifest';
export const CHUNKS_TABLE = 'service_mesh_snapshot_chunks';
export const LEASE_TABLE = 'service_mesh_refresh_lease';
export const TREND_TABLE = 'service_mesh_findings_trend';
const MIGRATIONS_TABLE = 'service_mesh__knex_migrations';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

const migrations: Record<string, Migration> = {
  '20261122000000_snapshot_store': {
    async up(knex) {
      const mysql = String(knex.client.config.client).includes('mysql');
      await knex.schema.createTable(MANIFEST_TABLE, table => {
        table.comment(
          'The published mesh snapshot: one row that names the current generation',
        );
        table.string('id', 32).primary();
        table.string('generation', 64).notNullable();
        table.string('previous_generation', 64).nullable();
        table.integer('sequence').notNullable();
        table.integer('schema_version').notNullable();
        table.string('encoding', 32).notNullable();
        table.integer('chunk_count').notNullable();
        table.integer('raw_bytes').notNullable();
        table.integer('stored_bytes').notNullable();
        table.string('sha256', 64).notNullable();
        table.string('generated_at', 40).notNullable();
        table.string('written_by', 255).notNullable();
        table.bigInteger('written_at_ms').notNullable();
      });
      await knex.schema.createTable(CHUNKS_TABLE, table => {
        table.comment(
          'Chunks of snapshot generations (gzipped JSON); readable once the manifest names them',
        );
        table.string('generation', 64).notNullable();
        table.integer('seq').notNullable();
        if (mysql) table.specificType('data', 'mediumblob').notNullable();
        else table.binary('data').notNullable();
        table.bigInteger('created_at_ms').notNullable();
        table.primary(['generation', 'seq']);
      });
      await knex.schema.createTable(LEASE_TABLE, table => {
        table.comment(
          'The refresh run in progress, with a heartbeat, so another replica can release a dead run',
        );
        table.string('id', 32).primary();
        table.string('run_id', 64).notNullable();
        table.string('owner', 255).notNullable();
        table.integer('beat').notNullable();
        table.boolean('finished').notNullable();
        table.bigInteger('started_at_ms').notNullable();
        table.string('reaped_by', 255).nullable();
      });
    },
    async down(knex) {
      await knex.schema.dropTable(LEASE_TABLE);
      await knex.schema.dropTable(CHUNKS_TABLE);
      await knex.schema.dropTable(MANIFEST_TABLE);
    },
  },
  // The findings trend (src/trend): one small row per published snapshot, pruned to the configured retention.
  '20261207000000_findings_trend': {
    async up(knex) {
      await knex.schema.createTable(TREND_TABLE, table => {
        table.comment(
          'Finding counts (by severity, code, cluster) of each published snapshot, for the trend plot',
        );
        table.bigIncrements('id').primary();
        table.bigInteger('generated_at_ms').notNullable().index();
        table.string('generated_at', 40).notNullable();
        table.string('written_by', 255).notNullable();
        table.text('counts').notNullable();
      });
    },
    async down(knex) {
      await knex.schema.dropTable(TREND_TABLE);
    },
  },
};

/** Runs the migrations; replicas starting together wait for the one that holds knex's migration lock. */
export async function migrateSnapshotTables(
  knex: Knex,
  options: { attempts?: number; delayMs?: number } = {},
): Promise<void> {
  const { attempts = 30, delayMs = 1000 } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      await knex.migrate.latest({
        tableName: MIGRATIONS_TABLE,
        migrationSource: {
          getMigrations: async () => Object.keys(migrations).sort(),
          getMigrationName: (name: string) => name,
          getMigration: async (name: string) => migrations[name],
        },
      });
      return;
    } catch (error) {
      // Another replica holds the lock, or created knex's own tables at the same moment.
      const race = /already locked|already exists|duplicate key/i;
      if (attempt >= attempts || !race.test(String(error))) {
        throw error;
      }
      await new Promise(resolve => setTimeout(resolve, delayMs));
    }
  }
}

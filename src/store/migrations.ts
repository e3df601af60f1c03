import { type Kysely, type Migration, type MigrationProvider } from 'kysely';

/**
 * Migrations in code (not files on disk) so they ship with the package and run at start-up on
 * both dialects. Only portable column types are used: text and integer.
 */
const migrations: Record<string, Migration> = {
  '0001_tenants_tokens_accounts': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('tenants')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('api_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('integrated_accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('integration', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('credentials', 'text', (c) => c.notNull())
        .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // the account list pages by (created_at, id) within a tenant
      await db.schema
        .createIndex('integrated_accounts_tenant_created')
        .on('integrated_accounts')
        .columns(['tenant_id', 'created_at', 'id'])
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('integrated_accounts').execute();
      await db.schema.dropTable('api_tokens').execute();
      await db.schema.dropTable('tenants').execute();
    },
  },
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};

import { QueryTypes } from 'sequelize';
import { createHarness, type Harness } from '../test/harness';
import { MIGRATIONS } from '../migrations';
import { createMigrator, migrateDown, migrateUp } from './migrator';

describe('migrations', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await createHarness();
  });

  afterAll(async () => {
    // Leave the test database migrated for the files that follow.
    await migrateUp(h.infra.db.sequelize);
    await h.close();
  });

  const tables = async () =>
    (
      await h.infra.db.sequelize.query<{ name: string }>(
        "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
        { type: QueryTypes.SELECT },
      )
    ).map((r) => r.name);

  it('every migration goes down and up again', async () => {
    await migrateUp(h.infra.db.sequelize);
    expect(await tables()).toEqual(
      expect.arrayContaining(['users', 'departments', 'refresh_tokens', 'service_clients']),
    );
    const reverted = await migrateDown(h.infra.db.sequelize, MIGRATIONS.length);
    expect(reverted).toEqual(MIGRATIONS.map((m) => m.name).reverse());
    expect(await tables()).toEqual(['schema_migrations']);
    expect(await migrateUp(h.infra.db.sequelize)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await createMigrator(h.infra.db.sequelize).pending()).toEqual([]);
  });

  it('two concurrent runs apply each migration once', async () => {
    await migrateDown(h.infra.db.sequelize, MIGRATIONS.length);
    const [a, b] = await Promise.all([migrateUp(h.infra.db.sequelize), migrateUp(h.infra.db.sequelize)]);
    expect([...a, ...b].sort()).toEqual(MIGRATIONS.map((m) => m.name).sort());
  });
});

import { AuthService } from '../api/auth/service';
import { createInfra } from '../infra';
import { migrateDown, migrateUp } from '../infra/migrator';
import { runMain } from './lib/run';

/**
 * `setup` (default): apply migrations, create the admin user from ADMIN_PASSWORD, the bucket and the
 * Kafka topics. Idempotent; the stack script runs it at every start.
 * `migrate`: migrations only. `rollback [n]`: revert the last n migrations (default 1).
 */
runMain('setup', async (config) => {
  const [command = 'setup', arg] = process.argv.slice(2);
  const infra = createInfra(config, 'setup');
  try {
    if (command === 'rollback') {
      const reverted = await migrateDown(infra.db.sequelize, Number(arg ?? 1));
      console.log(reverted.length ? `reverted: ${reverted.join(', ')}` : 'nothing to revert');
      return;
    }
    const applied = await migrateUp(infra.db.sequelize);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'migrations: up to date');
    if (command === 'migrate') return;
    const auth = new AuthService(infra.tokens, infra.cache, config);
    console.log(`admin user "${config.ADMIN_USERNAME}": ${await auth.ensureAdmin()}`);
    await infra.storage.ensureBucket();
    console.log(`bucket ${config.S3_BUCKET}: ready`);
    await infra.kafka.ensureTopics();
    console.log('kafka topics: ready');
  } finally {
    await infra.close();
  }
});

import '../test/integration-env';
import { createInfra } from '../infra';
import { loadConfig } from '../infra/config';
import { migrateUp } from '../infra/migrator';
import { checkReadiness } from '../infra/readiness';

/**
 * Before any integration test: every real server must answer, or the run stops here with one message
 * naming what is missing and how to start it. Then the test database is migrated.
 */
export default async function globalSetup(): Promise<void> {
  const config = loadConfig();
  const infra = createInfra(config, 'integration-setup');
  try {
    const report = await checkReadiness(
      [
        infra.db,
        infra.cache,
        infra.kafka,
        infra.search,
        infra.temporal,
        { name: 'storage', ready: () => infra.storage.client.listBuckets().then(() => undefined) },
      ],
      10_000,
    );
    const down = Object.entries(report.checks).filter(([, r]) => !r.ok);
    if (down.length > 0) {
      throw new Error(
        `Integration tests need the real stack, and these servers did not answer:\n` +
          down.map(([name, r]) => `  - ${name}: ${r.error}`).join('\n') +
          `\nStart them with "npm run stack:up" (npm test does this itself), then run the tests again.`,
      );
    }
    await migrateUp(infra.db.sequelize);
    await infra.storage.ensureBucket();
    await infra.kafka.ensureTopics();
  } finally {
    await infra.close();
  }
}

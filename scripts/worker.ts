import os from 'node:os';
import { NativeConnection, Runtime, Worker, makeTelemetryFilterString } from '@temporalio/worker';
import { createActivities } from '../activities';
import { createInfra } from '../infra';
import { temporalLogger } from '../infra/logger';
import { runMain } from './lib/run';

runMain('worker', async (config) => {
  const infra = createInfra(config, 'worker');
  Runtime.install({
    logger: temporalLogger(infra.logger),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
  });
  // Topics and the bucket exist before the first activity needs them.
  await infra.kafka.ensureTopics();
  await infra.storage.ensureBucket();
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowsPath: require.resolve('../workflows'),
    activities: createActivities({ ...infra, workerName: `worker@${os.hostname()}:${process.pid}` }),
  });
  infra.logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker polling');
  const running = worker.run();
  return async () => {
    worker.shutdown();
    await running;
    await connection.close();
    await infra.close();
  };
});

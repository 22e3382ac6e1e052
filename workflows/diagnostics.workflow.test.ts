import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnv } from '../test/temporal-env';
import { diagnosticWorkflow } from './diagnostics';

describe('diagnosticWorkflow on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('sleeps three days on a durable timer and finishes in well under a minute of real time', async () => {
    const calls: string[] = [];
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'diagnostics-test',
      workflowsPath: require.resolve('./index'),
      activities: {
        echo: async (message: string) => {
          calls.push(message);
          return `echo: ${message}`;
        },
      },
    });
    const startedAt = Date.now();
    const before = await env.currentTimeMs();
    const result = await worker.runUntil(
      env.client.workflow.execute(diagnosticWorkflow, {
        workflowId: 'diagnostics-three-days',
        taskQueue: 'diagnostics-test',
        args: [{ message: 'hello', delay: '3 days' }],
      }),
    );
    const skipped = (await env.currentTimeMs()) - before;
    expect(result).toBe('echo: hello');
    expect(calls).toEqual(['hello']);
    expect(skipped).toBeGreaterThanOrEqual(3 * 24 * 3600 * 1000);
    expect(Date.now() - startedAt).toBeLessThan(30_000);
  });
});

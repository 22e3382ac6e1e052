import { proxyActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities';

const { echo } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumAttempts: 5 },
});

/**
 * The smallest end-to-end proof that a worker runs: wait on a durable timer, then call one activity.
 * Operators can start it from the Temporal CLI to check a deployment.
 */
export async function diagnosticWorkflow(input: { message: string; delay?: string | number }): Promise<string> {
  if (input.delay) await sleep(input.delay as never);
  return echo(input.message);
}

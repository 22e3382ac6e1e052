/**
 * Negative control for replay.workflow.test.ts: a `ticketWorkflow` whose first command differs from the real
 * one (a timer instead of the `recordTicketEvent` activity), as an incompatible code change would. Replaying
 * the recorded histories against it must fail, which shows the replay test can catch such changes.
 */
import { sleep } from '@temporalio/workflow';

export async function ticketWorkflow(): Promise<void> {
  await sleep('1 minute');
}

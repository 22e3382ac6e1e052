import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';

const WRAPPER = path.resolve(__dirname, '../scripts/temporal-test-server');

/**
 * Temporal's time-skipping test server, started from the project's own wrapper around the Java test
 * server (installed by `scripts/stack.sh install test-server`). Fails with instructions when missing.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  try {
    return await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: WRAPPER } },
    });
  } catch (err) {
    throw new Error(
      `Could not start Temporal's time-skipping test server through ${WRAPPER}. ` +
        `Install it with "scripts/stack.sh install test-server" (npm test does this). Cause: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

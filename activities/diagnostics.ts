import { Context } from '@temporalio/activity';

/** Echoes a message with the worker that handled it; the activity behind `diagnosticWorkflow`. */
export function createDiagnosticActivities(deps: { workerName: string }) {
  return {
    async echo(message: string): Promise<string> {
      const info = Context.current().info;
      return `${message} (handled by ${deps.workerName}, attempt ${info.attempt})`;
    },
  };
}

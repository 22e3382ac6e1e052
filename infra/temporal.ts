import { Client, Connection } from '@temporalio/client';
import type { Config } from './config';
import type { ReadinessCheck } from './readiness';

/**
 * Temporal client. The connection is lazy, so an API starts (and answers `/readyz` with the reason)
 * while the Temporal server is still coming up.
 */
export class TemporalClient implements ReadinessCheck {
  readonly name = 'temporal';
  readonly connection: Connection;
  readonly client: Client;
  /** The task queue the worker polls and workflows are started on. */
  readonly taskQueue: string;
  readonly namespace: string;

  constructor(config: Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'TEMPORAL_TASK_QUEUE'>) {
    this.taskQueue = config.TEMPORAL_TASK_QUEUE;
    this.namespace = config.TEMPORAL_NAMESPACE;
    this.connection = Connection.lazy({ address: config.TEMPORAL_ADDRESS, connectTimeout: 5000 });
    this.client = new Client({ connection: this.connection, namespace: config.TEMPORAL_NAMESPACE });
  }

  async ready(): Promise<void> {
    await this.connection.workflowService.describeNamespace({ namespace: this.namespace });
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}

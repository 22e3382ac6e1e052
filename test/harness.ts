import { QueryTypes } from 'sequelize';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import type Koa from 'koa';
import { createInfra, type Infra } from '../infra';
import { loadConfig } from '../infra/config';
import { hashPassword } from '../infra/passwords';
import type { Role } from '../domain/roles';
import { KnowledgeDocument, User } from '../models';
import { concreteIndices } from '../infra/search-index';
import { documentLifecycleWorkflowId } from '../workflows/knowledge/definitions';
import type { AppState } from '../api/http/state';
import { createKnowledgeApp } from '../api/knowledge-app';

/** Tables integration tests may fill; emptied before each test file. */
const TABLES = [
  'answer_votes',
  'question_votes',
  'answers',
  'questions',
  'document_attachments',
  'document_feedback',
  'document_versions',
  'documents',
  'knowledge_categories',
  'category_rules',
  'attachments',
  'ticket_comments',
  'notifications',
  'approval_tasks',
  'ticket_history',
  'tickets',
  'approval_chain_versions',
  'approval_chains',
  'calendars',
  'service_clients',
  'refresh_tokens',
  'users',
  'departments',
];

export interface Harness {
  infra: Infra;
  /** Truncates the application tables and clears Redis keys the tests use. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** Real clients against the native stack, with the test database (see `integration-env.ts`). */
export async function createHarness(overrides: Record<string, string> = {}): Promise<Harness> {
  const infra = createInfra(loadConfig({ ...process.env, ...overrides }), 'test');
  return {
    infra,
    async reset() {
      const existing = new Set(
        (
          await infra.db.sequelize.query<{ name: string }>(
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'",
            {
              type: QueryTypes.SELECT,
            },
          )
        ).map((r) => r.name),
      );
      const tables = TABLES.filter((t) => existing.has(t));
      await infra.db.sequelize.query(`TRUNCATE ${tables.join(', ')} RESTART IDENTITY CASCADE`);
      await infra.cache.ready();
      const keys = await infra.cache.redis.keys('rl:*');
      if (keys.length > 0) await infra.cache.redis.del(...keys);
    },
    close: () => infra.close(),
  };
}

/** A supertest agent over an app listening on an ephemeral port. */
export function agent(app: Koa<AppState>): { http: request.Agent; server: Server } {
  const server = app.listen(0, '127.0.0.1');
  return { http: request.agent(server), server };
}

const PASSWORD_HASH = hashPassword('test-password-123');

/** Creates a user directly in the database; the password is `test-password-123`. */
export async function buildUser(
  overrides: Partial<{
    username: string;
    roles: Role[];
    departmentId: string | null;
    managerId: string | null;
    active: boolean;
    displayName: string;
  }> = {},
) {
  const username = overrides.username ?? `user-${randomUUID().slice(0, 8)}`;
  return User.create({
    username,
    passwordHash: await PASSWORD_HASH,
    displayName: overrides.displayName ?? username,
    email: `${username}@example.test`,
    roles: overrides.roles ?? ['requester'],
    departmentId: overrides.departmentId ?? null,
    managerId: overrides.managerId ?? null,
    active: overrides.active ?? true,
    externalId: null,
  });
}

/** The header {@link bearer} gives. */
export type Auth = { Authorization: string };

/** A bearer header for a user, signed like the token endpoint signs. */
export function bearer(infra: Infra, userId: string): Auth {
  return { Authorization: `Bearer ${infra.tokens.issue(userId).token}` };
}

/**
 * A real Temporal worker on the dev server, polling the test task queue with the real activities, for
 * the lifetime of one test file. Returns a stop function.
 */
export async function startWorker(infra: Infra): Promise<() => Promise<void>> {
  const { NativeConnection, Worker } = await import('@temporalio/worker');
  const { createActivities } = await import('../activities');
  const connection = await NativeConnection.connect({ address: infra.config.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: infra.config.TEMPORAL_NAMESPACE,
    taskQueue: infra.config.TEMPORAL_TASK_QUEUE,
    workflowsPath: require.resolve('../workflows'),
    activities: createActivities({ ...infra, workerName: 'jest' }),
  });
  const running = worker.run();
  return async () => {
    worker.shutdown();
    await running;
    await connection.close();
  };
}

/**
 * Overrides for a knowledge test file whose documents get published: publication runs in each document's
 * lifecycle workflow, so the file runs its own worker ({@link startWorker}) on its own task queue, and indexes
 * into its own indices.
 */
export function knowledgeOverrides(name: string): Record<string, string> {
  const own = `tk-${name}-${randomUUID().slice(0, 8)}`;
  return { TEMPORAL_TASK_QUEUE: own, SEARCH_INDEX_PREFIX: own };
}

/**
 * After a knowledge test file: ends the lifecycle workflows of its documents (they would otherwise wait for
 * review dates months away on a task queue nobody polls) and deletes its search indices.
 */
export async function cleanUpKnowledge(infra: Infra): Promise<void> {
  const docs = await KnowledgeDocument.findAll({ attributes: ['id'] }).catch(() => []);
  await Promise.all(
    docs.map((d) =>
      infra.temporal.client.workflow
        .getHandle(documentLifecycleWorkflowId(d.id))
        .terminate('test file finished')
        .catch(() => undefined),
    ),
  );
  for (const index of await concreteIndices(infra.search).catch(() => [])) {
    await infra.search.client.indices.delete({ index }).catch(() => undefined);
  }
}

/** What {@link knowledgeSuite} set up for one knowledge test file. */
export interface KnowledgeSuite {
  /** The harness, already reset. */
  h: Harness;
  /** The Knowledge API on an ephemeral port. */
  api: ReturnType<typeof agent>;
  /** Creates a user ({@link buildUser}) and a bearer header for it. */
  user(overrides?: Parameters<typeof buildUser>[0]): Promise<{ id: string; auth: { Authorization: string } }>;
  /** Closes the server, cleans up the knowledge workflows and indices, stops the worker, closes the harness. */
  close(): Promise<void>;
}

/**
 * The set-up of a knowledge test file: a reset harness with its own task queue and indices
 * ({@link knowledgeOverrides}), a worker on that queue (publication runs in each document's lifecycle
 * workflow) and the Knowledge API. Call it in `beforeAll` and `close()` in `afterAll`. If the set-up fails
 * part-way, what it had started is closed before the error is rethrown, since `afterAll` has nothing to close.
 */
export async function knowledgeSuite(name: string): Promise<KnowledgeSuite> {
  const h = await createHarness(knowledgeOverrides(name));
  let stopWorker: (() => Promise<void>) | undefined;
  let api: ReturnType<typeof agent> | undefined;
  const close = async () => {
    api?.server.close();
    await cleanUpKnowledge(h.infra);
    await stopWorker?.();
    await h.close();
  };
  try {
    await h.reset();
    stopWorker = await startWorker(h.infra);
    api = agent(createKnowledgeApp(h.infra));
  } catch (err) {
    await close().catch(() => undefined);
    throw err;
  }
  return {
    h,
    api,
    async user(overrides) {
      const { id } = await buildUser(overrides);
      return { id, auth: bearer(h.infra, id) };
    },
    close,
  };
}

/**
 * Polls `probe` until it returns something other than undefined, for what the system does in the background
 * (indexing, workflows). A probe that throws fails the wait at once.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

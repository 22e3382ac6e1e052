import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { DocumentLifecycleActivities } from '../../activities/knowledge/types';
import type { DocumentStatus } from '../../domain/knowledge';
import { createTimeSkippingEnv } from '../../test/temporal-env';
import {
  documentArchived,
  lifecycleStateQuery,
  publishUpdate,
  reviewUpdate,
  submitForReviewUpdate,
  type DocumentLifecycleState,
  type LifecycleActor,
} from './definitions';
import { documentLifecycleWorkflow } from './index';

const DAY = 24 * 3600 * 1000;
const editor: LifecycleActor = { id: 'editor', roles: ['requester', 'knowledge_editor'] };
const agent: LifecycleActor = { id: 'agent', roles: ['requester', 'agent'] };

/** Fake activities over one in-memory row; `calls` records what the workflow asked for, in order. */
function fakes() {
  const calls: string[] = [];
  const row = { status: 'draft' as DocumentStatus, reviewAt: null as string | null, comment: null as string | null };
  const activities: DocumentLifecycleActivities = {
    async publishDocument(input) {
      calls.push(`publish by ${input.actorId}${input.approval ? ' (approved)' : ''}`);
      Object.assign(row, { status: 'published', reviewAt: input.reviewAt, comment: input.approval?.comment ?? null });
      return { status: 'published', reviewAt: input.reviewAt };
    },
    async setDocumentStatus(input) {
      calls.push(`status ${input.status}`);
      Object.assign(row, { status: input.status, comment: input.comment ?? null });
      return { status: input.status, reviewAt: row.reviewAt };
    },
    async recordReviewReminder({ reviewAt }) {
      calls.push(`remind ${reviewAt}`);
      return { recorded: true, ownerId: 'agent' };
    },
    async requestIndexing({ documentId }) {
      calls.push(`index ${documentId}`);
    },
  };
  return { activities, calls, row };
}

describe('document lifecycle workflow on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let seq = 0;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  /** Runs `body` against a fresh workflow for document `doc-<n>` with a worker on fake activities. */
  async function withWorkflow<T>(
    f: ReturnType<typeof fakes>,
    body: (handle: Awaited<ReturnType<typeof start>>, documentId: string) => Promise<T>,
    maxHistoryEvents?: number,
  ): Promise<T> {
    seq += 1;
    const taskQueue = `lifecycle-${seq}`;
    const documentId = `doc-${seq}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('./index'),
      activities: f.activities,
    });
    return worker.runUntil(async () => body(await start(documentId, taskQueue, maxHistoryEvents), documentId));
  }
  const start = (documentId: string, taskQueue: string, maxHistoryEvents?: number) =>
    env.client.workflow.start(documentLifecycleWorkflow, {
      workflowId: `document-${documentId}`,
      taskQueue,
      args: [{ documentId, status: 'draft', reviewAt: null, maxHistoryEvents }],
    });
  /** A review date `days` ahead of the test server's clock (which earlier tests have skipped forward). */
  const inDays = async (days: number) => new Date((await env.currentTimeMs()) + days * DAY).toISOString();
  /** Waits until an activity call shows up in `calls` (activities complete asynchronously). */
  async function called(calls: string[], what: string): Promise<void> {
    for (let i = 0; i < 100 && !calls.includes(what); i++) await new Promise((r) => setTimeout(r, 100));
    expect(calls).toContain(what);
  }
  /** Polls the workflow's state until `ok` (activities complete asynchronously after a time skip). */
  async function until(
    handle: { query: (q: typeof lifecycleStateQuery) => Promise<DocumentLifecycleState> },
    ok: (s: DocumentLifecycleState) => boolean,
  ): Promise<DocumentLifecycleState> {
    for (let i = 0; i < 100; i++) {
      const s = await handle.query(lifecycleStateQuery);
      if (ok(s)) return s;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the workflow state never got there');
  }

  it('an editor publishes at once; the document is indexed; archiving ends the workflow', async () => {
    const f = fakes();
    const state = await withWorkflow(f, async (handle, id) => {
      const reviewAt = await inDays(180);
      const after = await handle.executeUpdate(publishUpdate, { args: [{ actor: editor, reviewAt }] });
      expect(after).toMatchObject({ status: 'published', reviewAt });
      await called(f.calls, `index ${id}`);
      await handle.signal(documentArchived);
      return handle.result();
    });
    expect(state.status).toBe('archived');
    expect(f.calls[0]).toBe('publish by editor');
  });

  it('an author who is not an editor submits; only an editor reviews; approval publishes and indexes', async () => {
    const f = fakes();
    await withWorkflow(f, async (handle, id) => {
      const submitted = await handle.executeUpdate(submitForReviewUpdate, { args: [{ actor: agent, reviewAt: null }] });
      expect(submitted.status).toBe('in_review');
      expect(f.row.status).toBe('in_review');

      const reviewAt = await inDays(180);
      // The validator refuses a non-editor at once, before anything is written.
      const refused = await handle
        .executeUpdate(reviewUpdate, { args: [{ actor: agent, decision: 'approve', comment: null, reviewAt }] })
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((refused as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'forbidden' });
      const approved = await handle.executeUpdate(reviewUpdate, {
        args: [{ actor: editor, decision: 'approve', comment: 'fine', reviewAt }],
      });
      expect(approved).toMatchObject({ status: 'published', reviewAt, lastReview: { decision: 'approve' } });
      await called(f.calls, `index ${id}`);
      expect(f.calls).toEqual(['status in_review', 'publish by editor (approved)', `index ${id}`]);

      // Not in review any more: a second decision is refused.
      const again = await handle
        .executeUpdate(reviewUpdate, { args: [{ actor: editor, decision: 'reject', comment: null, reviewAt }] })
        .catch((e: unknown) => e);
      expect((again as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'invalid_transition' });
      await handle.signal(documentArchived);
      await handle.result();
    });
  });

  it('a rejection sends the document back to draft with the comment; it may be submitted again', async () => {
    const f = fakes();
    await withWorkflow(f, async (handle) => {
      await handle.executeUpdate(submitForReviewUpdate, { args: [{ actor: agent, reviewAt: null }] });
      const rejected = await handle.executeUpdate(reviewUpdate, {
        args: [{ actor: editor, decision: 'reject', comment: 'add the error code', reviewAt: await inDays(180) }],
      });
      expect(rejected).toMatchObject({
        status: 'draft',
        lastReview: { decision: 'reject', comment: 'add the error code' },
      });
      expect(f.row).toMatchObject({ status: 'draft', comment: 'add the error code' });
      const again = await handle.executeUpdate(submitForReviewUpdate, { args: [{ actor: agent, reviewAt: null }] });
      expect(again.status).toBe('in_review');
      expect(f.calls.filter((c) => c.startsWith('index'))).toEqual([]);
      await handle.signal(documentArchived);
      await handle.result();
    });
  });

  it('reminds the owner when the review date comes (180 days, skipped), and again after a re-publish', async () => {
    const f = fakes();
    await withWorkflow(f, async (handle) => {
      const first = await inDays(180);
      await handle.executeUpdate(publishUpdate, { args: [{ actor: editor, reviewAt: first }] });
      await until(handle, (s) => !s.indexPending);
      await env.sleep(179 * DAY);
      expect((await handle.query(lifecycleStateQuery)).reminders).toBe(0);
      await env.sleep(2 * DAY);
      const reminded = await until(handle, (s) => s.reminders === 1);
      expect(reminded.remindedFor).toBe(first);
      expect(f.calls).toContain(`remind ${first}`);

      // Nothing more until the document is published again, which renews the date and the timer.
      await env.sleep(60 * DAY);
      expect((await handle.query(lifecycleStateQuery)).reminders).toBe(1);
      const second = await inDays(90);
      await handle.executeUpdate(publishUpdate, { args: [{ actor: editor, reviewAt: second }] });
      await env.sleep(91 * DAY);
      const again = await until(handle, (s) => s.reminders === 2);
      expect(again.remindedFor).toBe(second);
      expect(f.calls.filter((c) => c.startsWith('remind'))).toEqual([`remind ${first}`, `remind ${second}`]);

      await handle.signal(documentArchived);
      expect((await handle.result()).status).toBe('archived');
    });
  });

  it('a run started for an archived document waits for the publication it was started for', async () => {
    const f = fakes();
    seq += 1;
    const taskQueue = `lifecycle-${seq}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('./index'),
      activities: f.activities,
    });
    await worker.runUntil(async () => {
      const start = (documentId: string) =>
        env.client.workflow.start(documentLifecycleWorkflow, {
          workflowId: `document-${documentId}`,
          taskQueue,
          args: [{ documentId, status: 'archived', reviewAt: null }],
        });
      const back = await start(`doc-${seq}-back`);
      const published = await back.executeUpdate(publishUpdate, {
        args: [{ actor: editor, reviewAt: await inDays(30) }],
      });
      expect(published.status).toBe('published');
      expect((await back.describe()).status.name).toBe('RUNNING');
      await back.signal(documentArchived);
      await back.result();

      // Refused (not an editor): nothing brings the document back, and the run ends after its grace period.
      const refused = await start(`doc-${seq}-refused`);
      const failure = await refused
        .executeUpdate(publishUpdate, { args: [{ actor: agent, reviewAt: await inDays(30) }] })
        .catch((e: unknown) => e);
      expect((failure as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'forbidden' });
      expect((await refused.result()).status).toBe('archived');
    });
  });

  it('continues as new when the history grows, keeping the review timer', async () => {
    const f = fakes();
    await withWorkflow(
      f,
      async (handle) => {
        // A tiny history budget: publications roll the run over, and the state goes with it.
        for (let i = 0; i < 3; i++) {
          await handle.executeUpdate(publishUpdate, { args: [{ actor: editor, reviewAt: await inDays(30) }] });
        }
        const latest = env.client.workflow.getHandle(handle.workflowId);
        const { reviewAt } = await until(latest, (s) => !s.indexPending && s.status === 'published');
        expect((await latest.describe()).runId).not.toBe(handle.firstExecutionRunId);
        await env.sleep(31 * DAY);
        const s = await until(latest, (x) => x.reminders === 1);
        expect(s.remindedFor).toBe(reviewAt);
        await latest.signal(documentArchived);
        await latest.result();
      },
      15,
    );
  });
});

/**
 * `documentLifecycleWorkflow`: one run per document (id `document-<documentId>`), from its first publication
 * or submission for review until it is archived.
 *
 * - Updates, set before anything else so an update delivered with the start is never lost: `publish` (an
 *   editor), `submitForReview` (the author who is not an editor) and `review` (an editor approves or
 *   rejects). Validators refuse at once with typed `ApplicationFailure`s; accepted updates run one at a time
 *   under a lock, write PostgreSQL through an activity and answer with the resulting state.
 * - After a publication the main loop hands the document to its indexing workflow (`index-doc-<id>`, signalled
 *   with start by an activity exactly as the API does after edits), so the update answers as soon as the row is
 *   published and an engine outage never holds this workflow up.
 * - While published, one durable timer waits for `reviewAt`; when it fires the owner is reminded once for that
 *   date. Publishing again renews the date and the timer.
 * - The `documentArchived` signal ends the run. It continues as new when the history grows long.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { DocumentLifecycleActivities } from '../../activities/knowledge/types';
import { isEditor } from '../../domain/knowledge';
import { Lock } from '../ticket/lock';
import { refusalFailure, refused, throwIfRefused } from '../ticket/refusals';
import {
  LIFECYCLE_REFUSAL_STATUS,
  documentArchived,
  lifecycleStateQuery,
  publishUpdate,
  reviewUpdate,
  submitForReviewUpdate,
  type DocumentLifecycleInput,
  type DocumentLifecycleState,
  type LifecycleActor,
  type PublishArgs,
  type ReviewArgs,
  type SubmitArgs,
} from './definitions';

/**
 * Someone waits for these (the update answers after them): a few quick attempts, then the update fails and
 * the API answers 503, rather than holding the request while the database is away.
 */
const { publishDocument, setDocumentStatus } = proxyActivities<DocumentLifecycleActivities>({
  startToCloseTimeout: '10 seconds',
  retry: {
    initialInterval: '500 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '5 seconds',
    maximumAttempts: 5,
  },
});
/** Reminders and indexing requests wait for nobody: retried until the database (or Temporal) is back. */
const background = proxyActivities<DocumentLifecycleActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

export const DEFAULT_MAX_HISTORY_EVENTS = 5_000;
/** How long a run started for an archived document waits for the publication or submission it was started for. */
export const ARCHIVED_START_GRACE = '1 minute';

const nowIso = () => new Date(Date.now()).toISOString();

/** An activity's refusal keeps its type for the API; any other failure is "unavailable" (503). */
async function orRefuse<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const cause = err instanceof ActivityFailure ? err.cause : err;
    if (cause instanceof ApplicationFailure && cause.type && cause.type in LIFECYCLE_REFUSAL_STATUS) {
      throw refusalFailure(cause.type, cause.message);
    }
    throw refusalFailure('unavailable', 'The document could not be updated right now; try again shortly.');
  }
}

const notEditor = (actor: LifecycleActor) =>
  isEditor(actor) ? null : refused('forbidden', 'Only knowledge editors and admins may do this.');

export function checkPublish(_state: DocumentLifecycleState, args: PublishArgs) {
  return (
    notEditor(args.actor) ??
    (Number.isNaN(Date.parse(args.reviewAt)) ? refused('invalid_review_date', 'reviewAt is not a date.') : null)
  );
}

export function checkSubmit(state: DocumentLifecycleState, _args: SubmitArgs) {
  // A second submission while in review is answered with the same state.
  if (state.status === 'draft' || state.status === 'archived' || state.status === 'in_review') return null;
  return refused('invalid_transition', `A ${state.status} document cannot be submitted for review.`);
}

export function checkReview(state: DocumentLifecycleState, args: ReviewArgs) {
  return (
    notEditor(args.actor) ??
    (state.status === 'in_review'
      ? null
      : refused('invalid_transition', `A ${state.status} document is not in review.`))
  );
}

/** The review date the owner has not been reminded of yet, as epoch ms; null when no timer is due. */
export function reminderDue(state: DocumentLifecycleState): number | null {
  if (state.status !== 'published' || !state.reviewAt || state.remindedFor === state.reviewAt) return null;
  return Date.parse(state.reviewAt);
}

export async function documentLifecycleWorkflow(input: DocumentLifecycleInput): Promise<DocumentLifecycleState> {
  const { documentId } = input;
  const state: DocumentLifecycleState = input.state ?? {
    documentId,
    status: input.status,
    reviewAt: input.reviewAt,
    requestedReviewAt: null,
    remindedFor: null,
    reminders: 0,
    lastReview: null,
    indexPending: false,
  };
  const lock = new Lock();

  const publish = async (actorId: string, reviewAt: string, approval: { comment: string | null } | null) => {
    const result = await orRefuse(() =>
      publishDocument({ documentId, actorId, reviewAt, publishedAt: nowIso(), approval }),
    );
    state.status = result.status;
    state.reviewAt = result.reviewAt;
    state.requestedReviewAt = null;
    state.indexPending = true;
  };

  setHandler(lifecycleStateQuery, () => state);
  setHandler(documentArchived, () => {
    state.status = 'archived';
  });
  setHandler(
    publishUpdate,
    (args) =>
      lock.run(async () => {
        throwIfRefused(checkPublish(state, args));
        await publish(args.actor.id, args.reviewAt, null);
        return state;
      }),
    { validator: (args: PublishArgs) => throwIfRefused(checkPublish(state, args)) },
  );
  setHandler(
    submitForReviewUpdate,
    (args) =>
      lock.run(async () => {
        throwIfRefused(checkSubmit(state, args));
        if (state.status !== 'in_review') {
          const result = await orRefuse(() =>
            setDocumentStatus({ documentId, status: 'in_review', actorId: args.actor.id, at: nowIso() }),
          );
          state.status = result.status;
        }
        state.requestedReviewAt = args.reviewAt;
        return state;
      }),
    { validator: (args: SubmitArgs) => throwIfRefused(checkSubmit(state, args)) },
  );
  setHandler(
    reviewUpdate,
    (args) =>
      lock.run(async () => {
        throwIfRefused(checkReview(state, args));
        const comment = args.comment ?? null;
        if (args.decision === 'approve') {
          const requested = state.requestedReviewAt;
          const reviewAt = requested && Date.parse(requested) > Date.now() ? requested : args.reviewAt;
          await publish(args.actor.id, reviewAt, { comment });
        } else {
          const result = await orRefuse(() =>
            setDocumentStatus({ documentId, status: 'draft', actorId: args.actor.id, at: nowIso(), comment }),
          );
          state.status = result.status;
        }
        state.lastReview = { decision: args.decision, actorId: args.actor.id, comment, at: nowIso() };
        return state;
      }),
    { validator: (args: ReviewArgs) => throwIfRefused(checkReview(state, args)) },
  );

  const maxHistoryEvents = input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  const historyFull = () => {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength >= maxHistoryEvents;
  };

  // A function, not a narrowed property: handlers change the status while the loop awaits.
  const archived = () => state.status === 'archived';
  // A run started for an archived document was started to bring it back: wait for that update (delivered with
  // the first workflow task) instead of ending at once; if it is refused, the run ends after this grace.
  if (archived() && !input.state) await condition(() => !archived(), ARCHIVED_START_GRACE);
  while (!archived()) {
    if (historyFull()) {
      await condition(() => lock.idle && allHandlersFinished());
      if (!archived()) {
        return continueAsNew<typeof documentLifecycleWorkflow>({ ...input, state });
      }
      break;
    }
    if (state.indexPending) {
      state.indexPending = false;
      await background.requestIndexing({ documentId });
      continue;
    }
    const due = reminderDue(state);
    const changed = () => archived() || state.indexPending || reminderDue(state) !== due || historyFull();
    if (due === null) {
      await condition(changed);
    } else if (!(await condition(changed, Math.max(1, due - Date.now())))) {
      await lock.run(async () => {
        if (reminderDue(state) !== due || !state.reviewAt) return;
        const reviewAt = state.reviewAt;
        await background.recordReviewReminder({ documentId, reviewAt });
        state.remindedFor = reviewAt;
        state.reminders += 1;
      });
    }
  }

  await condition(() => lock.idle && allHandlersFinished());
  // A publication that arrived while the run was winding down brought the document back: carry on in a new
  // run rather than end with a published document and no review timer.
  if (!archived()) return continueAsNew<typeof documentLifecycleWorkflow>({ ...input, state });
  return state;
}

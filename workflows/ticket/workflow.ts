/**
 * `ticketWorkflow`: one run per ticket (id `ticket-<ticketId>`), from submission through the approval chain
 * (approval.ts) and processing (processing.ts) to `rejected`, `cancelled` or `closed`.
 *
 * Shape of a run:
 * - Handlers for the Updates and the Query are set before anything else, so updates delivered with the
 *   start (update-with-start) are never lost. Validators refuse with `ApplicationFailure` types from
 *   `REFUSAL_STATUS`; accepted updates run one at a time under a lock, re-check against the state they
 *   find, apply, record their events and answer with the resulting state.
 * - A first start emits `submitted` and starts the first step (or, without a chain, is `approved` at once and
 *   auto-assigned). A start with `input.state` (continue-as-new, or a closed ticket reopened) resumes from it;
 *   a resumed `closed` ticket waits {@link REOPEN_WINDOW} for its `reopen` update and otherwise ends closed.
 * - One loop waits, with a single durable timer, for the earliest due reminder, escalation, delegation end
 *   or SLA target (timers.ts), all computed in the chain's business calendar when they are set.
 * - It continues as new when the server suggests it or the history reaches `options.maxHistoryEvents`, once
 *   no handler is running and every event has been published; the state (including every timer's due
 *   instant) is the new run's `input.state`.
 * - The run ends when the ticket is `rejected`, `cancelled` or `closed`, after all handlers finished and all
 *   events were published, returning the final state.
 */
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import { checkDecide, checkDelegate, checkResubmit, decide, delegateTask, resubmit, startStepAt } from './approval';
import {
  type ActArgs,
  type DecideArgs,
  type DelegateArgs,
  type ResubmitArgs,
  type TicketWorkflowState,
  actUpdate,
  decideUpdate,
  delegateUpdate,
  resubmitUpdate,
  stateQuery,
} from './definitions';
import { act, autoAssign, checkAct } from './processing';
import { throwIfRefused } from './refusals';
import { TicketRun, type TicketWorkflowRunInput } from './run';
import { fireDue, nextDue } from './timers';

export type { TicketWorkflowOptions, TicketWorkflowRunInput } from './run';

/** Continue-as-new threshold when the input sets none. */
export const DEFAULT_MAX_HISTORY_EVENTS = 10_000;
/** How long a run resumed with a closed ticket waits for the reopen it was started for. */
export const REOPEN_WINDOW = '1 hour';

export async function ticketWorkflow(input: TicketWorkflowRunInput): Promise<TicketWorkflowState> {
  const run = new TicketRun(input);
  const resumed = input.state !== undefined;

  setHandler(stateQuery, () => run.state);
  setHandler(decideUpdate, (args) => run.lock.run(() => decide(run, args)), {
    validator: (args: DecideArgs) => throwIfRefused(checkDecide(run.state, args, run)),
  });
  setHandler(delegateUpdate, (args) => run.lock.run(() => delegateTask(run, args)), {
    validator: (args: DelegateArgs) => throwIfRefused(checkDelegate(run.state, args, run)),
  });
  setHandler(resubmitUpdate, (args) => run.lock.run(() => resubmit(run, args)), {
    validator: (args: ResubmitArgs) => throwIfRefused(checkResubmit(run.state, args, run)),
  });
  setHandler(actUpdate, (args) => run.lock.run(() => act(run, args)), {
    validator: (args: ActArgs) => throwIfRefused(checkAct(run.state, args)),
  });

  if (resumed) {
    run.syncSearchAttributes();
    if (run.state.status === 'closed') await condition(() => run.state.status !== 'closed', REOPEN_WINDOW);
  } else {
    await run.lock.run(() => begin(run));
  }

  const maxHistoryEvents = input.options?.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  const historyFull = () => {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength >= maxHistoryEvents;
  };

  while (!run.terminal) {
    if (historyFull()) {
      await condition(() => run.idle && allHandlersFinished());
      if (!run.terminal) {
        return continueAsNew<typeof ticketWorkflow>({ ...input, state: run.state });
      }
      break;
    }
    const due = nextDue(run);
    const changed = () => run.terminal || nextDue(run) !== due || historyFull();
    if (due === null) {
      await condition(changed);
    } else {
      const timedOut = !(await condition(changed, Math.max(1, due - Date.now())));
      if (timedOut) await run.lock.run(() => fireDue(run));
    }
  }

  await condition(() => run.idle && allHandlersFinished());
  return run.state;
}

/** First start: the submission, then the first step (or approval at once without a chain). */
async function begin(run: TicketRun): Promise<void> {
  const { input } = run;
  await run.emit('submitted', input.requester.id, {
    to: run.state.status,
    number: input.number,
    title: input.title,
    category: input.category,
    priority: input.priority,
    chainId: input.chain?.id ?? null,
    chainVersion: input.chain?.version ?? null,
    submittedAt: input.submittedAt,
  });
  if (input.chain) await startStepAt(run, 0);
  else await autoAssign(run);
}

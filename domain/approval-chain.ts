/**
 * Approval chains as data, who approves a step, and the pure reducer over a running step's decisions.
 *
 * The workflow owns the clock and the I/O: it snapshots the people data into a {@link ResolutionContext},
 * calls {@link resolveApprovers} when a step starts (the result is fixed for the life of the step and shown in
 * the live state), then folds decisions, delegations and escalations into a {@link StepState} with the
 * functions below. Every function returns a new state and never mutates its input; refusals are values with
 * the HTTP status the edge answers with (403 not an approver, 409 state conflict).
 */
import { type FieldError } from './errors';
import { parseDuration } from './duration';
import { type Outcome, type Refusal, accept, refuse } from './refusal';

export const APPROVAL_MODES = ['all', 'any', 'quorum'] as const;
/** `all`: everyone approves; `any`: the first approval wins; `quorum`: N approvals of M. */
export type ApprovalMode = (typeof APPROVAL_MODES)[number];

export const APPROVER_TYPES = ['user', 'role', 'manager', 'department_head'] as const;
export type ApproverType = (typeof APPROVER_TYPES)[number];

export interface ApproverRef {
  /**
   * `user`: the user id in `value`; `role`: every user holding the role in `value`; `manager`: the
   * requester's manager; `department_head`: the head of the department id in `value`, or of the requester's
   * department when `value` is omitted.
   */
  type: ApproverType;
  value?: string;
}

/** `manager` is the manager of the approver who did not answer. */
export type EscalationTarget = 'manager' | 'department_head' | { user: string } | { role: string };

export const TIMEOUT_ACTIONS = ['escalate', 'reject'] as const;
export type TimeoutAction = (typeof TIMEOUT_ACTIONS)[number];

export interface ChainStep {
  name: string;
  mode: ApprovalMode;
  /** Approvals needed in `quorum` mode (N of the M resolved approvers). */
  quorum?: number;
  approvers: ApproverRef[];
  /** ISO 8601 business duration after which undecided approvers are reminded. */
  remindAfter?: string;
  /** ISO 8601 business duration after which {@link ChainStep.onTimeout} happens. */
  escalateAfter?: string;
  /** Who is brought in on escalation. Required with `escalateAfter` unless `onTimeout` is `reject`. */
  escalateTo?: EscalationTarget;
  /** What `escalateAfter` does; `escalate` by default. */
  onTimeout?: TimeoutAction;
}

export interface ApprovalChainDefinition {
  name: string;
  /** Ticket category the chain applies to. */
  category: string;
  /** Run in order; a step starts when the previous one is approved. */
  steps: ChainStep[];
  /** ISO 8601 business durations from submission. */
  sla?: { response?: string; resolution?: string };
  /** Business calendar the durations count in; wall-clock time without one. */
  calendarId?: string | null;
}

// ---------------------------------------------------------------------------------------------------------
// Validation

/**
 * Field errors of a chain definition (paths relative to `basePath`). What depends on people data, such as a
 * quorum larger than the approvers a role resolves to, is only known when the step starts: see
 * {@link resolveApprovers}.
 */
export function validateChain(chain: ApprovalChainDefinition, basePath = ''): FieldError[] {
  const errors: FieldError[] = [];
  const at = (...parts: (string | number)[]) => [basePath, ...parts].filter((p) => p !== '').join('.');
  const add = (message: string, ...parts: (string | number)[]) => errors.push({ path: at(...parts), message });
  const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
  const duration = (v: unknown, ...parts: (string | number)[]) => {
    if (v === undefined || v === null) return undefined;
    const ms = typeof v === 'string' ? parseDuration(v) : undefined;
    if (ms === undefined || ms <= 0) add('must be a positive ISO 8601 duration such as PT4H or P3D', ...parts);
    return ms;
  };

  if (!nonEmpty(chain.name)) add('is required', 'name');
  if (!nonEmpty(chain.category)) add('is required', 'category');
  if (chain.calendarId !== undefined && chain.calendarId !== null && !nonEmpty(chain.calendarId)) {
    add('must be a calendar id', 'calendarId');
  }
  if (chain.sla !== undefined) {
    duration(chain.sla.response, 'sla', 'response');
    duration(chain.sla.resolution, 'sla', 'resolution');
  }
  if (!Array.isArray(chain.steps) || chain.steps.length === 0) {
    add('needs at least one step', 'steps');
    return errors;
  }

  const names = new Set<string>();
  chain.steps.forEach((step, i) => {
    if (!nonEmpty(step.name)) add('is required', 'steps', i, 'name');
    else if (names.has(step.name)) add('must be unique within the chain', 'steps', i, 'name');
    else names.add(step.name);

    if (!(APPROVAL_MODES as readonly string[]).includes(step.mode)) {
      add(`must be one of ${APPROVAL_MODES.join(', ')}`, 'steps', i, 'mode');
    }
    const approvers = Array.isArray(step.approvers) ? step.approvers : [];
    if (approvers.length === 0) add('needs at least one approver', 'steps', i, 'approvers');
    approvers.forEach((ref, j) => {
      if (!(APPROVER_TYPES as readonly string[]).includes(ref.type)) {
        add(`must be one of ${APPROVER_TYPES.join(', ')}`, 'steps', i, 'approvers', j, 'type');
      } else if ((ref.type === 'user' || ref.type === 'role') && !nonEmpty(ref.value)) {
        add(`is required for a ${ref.type} approver`, 'steps', i, 'approvers', j, 'value');
      } else if (ref.type === 'manager' && ref.value !== undefined && ref.value !== null) {
        add("is not used: 'manager' is always the requester's manager", 'steps', i, 'approvers', j, 'value');
      } else if (ref.type === 'department_head' && ref.value !== undefined && !nonEmpty(ref.value)) {
        add('must be a department id, or omitted for the requester’s department', 'steps', i, 'approvers', j, 'value');
      }
    });

    if (step.mode === 'quorum') {
      if (step.quorum === undefined || step.quorum === null) add('is required in quorum mode', 'steps', i, 'quorum');
      else if (!Number.isInteger(step.quorum) || step.quorum < 1) {
        add('must be a whole number of at least 1', 'steps', i, 'quorum');
      } else if (approvers.every((a) => a.type !== 'role') && step.quorum > approvers.length) {
        // Without a role every reference is at most one person, so the quorum can never be reached.
        add(`cannot exceed the ${approvers.length} approver(s) listed`, 'steps', i, 'quorum');
      }
    } else if (step.quorum !== undefined && step.quorum !== null) {
      add('only applies in quorum mode', 'steps', i, 'quorum');
    }

    duration(step.remindAfter, 'steps', i, 'remindAfter');
    const escalateAfter = duration(step.escalateAfter, 'steps', i, 'escalateAfter');
    if (step.onTimeout !== undefined && !(TIMEOUT_ACTIONS as readonly string[]).includes(step.onTimeout)) {
      add(`must be one of ${TIMEOUT_ACTIONS.join(', ')}`, 'steps', i, 'onTimeout');
    }
    if (step.onTimeout !== undefined && step.escalateAfter === undefined) {
      add('needs escalateAfter, the time after which it happens', 'steps', i, 'onTimeout');
    }
    if (step.escalateTo !== undefined && !isEscalationTarget(step.escalateTo)) {
      add('must be "manager", "department_head", { "user": id } or { "role": name }', 'steps', i, 'escalateTo');
    }
    if (escalateAfter !== undefined && step.onTimeout !== 'reject' && step.escalateTo === undefined) {
      add('is required with escalateAfter unless onTimeout is "reject"', 'steps', i, 'escalateTo');
    }
  });
  return errors;
}

function isEscalationTarget(value: unknown): value is EscalationTarget {
  if (value === 'manager' || value === 'department_head') return true;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== 1) return false;
  const v = (value as Record<string, unknown>)[keys[0]!];
  return (keys[0] === 'user' || keys[0] === 'role') && typeof v === 'string' && v.trim() !== '';
}

// ---------------------------------------------------------------------------------------------------------
// Resolution

/** A plain-data snapshot of the people a chain can name, taken by an activity when a step starts. */
export interface ResolutionContext {
  requester: { id: string; managerId: string | null; departmentId: string | null };
  /** User ids per role name. */
  usersByRole: Record<string, string[]>;
  /** Head user id per department id. */
  departmentHeads: Record<string, string | null>;
  /** When given, users not in it (deactivated) are left out. */
  activeUserIds?: readonly string[];
  /** Manager id per user id, for escalations to the manager of an approver. */
  managers?: Record<string, string | null>;
  /** Department id per user id, for escalations to an approver's department head (falls back to the requester's). */
  departments?: Record<string, string | null>;
}

/**
 * `no_approvers`: nobody is left (e.g. the requester has no manager, the role is empty, or the only candidate
 * is the requester). `quorum_unreachable`: fewer approvers than the quorum. The domain does not choose a
 * policy for these; the workflow decides (e.g. reject with a reason, or escalate to an administrator).
 */
export type ResolutionProblem = 'no_approvers' | 'quorum_unreachable';

export interface ResolvedApprovers {
  /** De-duplicated user ids in the order of the step's references (members of a role sorted by id). */
  approvers: string[];
  problem: ResolutionProblem | null;
  /** References that named nobody, for the ticket history. */
  unresolved: ApproverRef[];
}

/**
 * The approvers of a step, fixed when it starts. The requester never approves their own ticket and is left
 * out wherever they appear.
 */
export function resolveApprovers(step: ChainStep, ctx: ResolutionContext): ResolvedApprovers {
  const active = ctx.activeUserIds ? new Set(ctx.activeUserIds) : undefined;
  const eligible = (id: string | null | undefined): id is string =>
    typeof id === 'string' && id !== '' && id !== ctx.requester.id && (!active || active.has(id));
  const approvers: string[] = [];
  const unresolved: ApproverRef[] = [];
  for (const ref of step.approvers) {
    const found = candidates(ref, ctx).filter(eligible);
    if (found.length === 0) unresolved.push(ref);
    for (const id of found) if (!approvers.includes(id)) approvers.push(id);
  }
  let problem: ResolutionProblem | null = null;
  if (approvers.length === 0) problem = 'no_approvers';
  else if (step.mode === 'quorum' && (step.quorum ?? 1) > approvers.length) problem = 'quorum_unreachable';
  return { approvers, problem, unresolved };
}

function candidates(ref: ApproverRef, ctx: ResolutionContext): (string | null | undefined)[] {
  switch (ref.type) {
    case 'user':
      return [ref.value];
    case 'role':
      return [...(ctx.usersByRole[ref.value ?? ''] ?? [])].sort();
    case 'manager':
      return [ctx.requester.managerId];
    case 'department_head': {
      const department = ref.value ?? ctx.requester.departmentId;
      return [department ? ctx.departmentHeads[department] : null];
    }
  }
}

/**
 * Who an escalation brings in for the approvers who did not answer, de-duplicated, without the requester,
 * the silent approvers themselves, or inactive users. `manager` and `department_head` are taken per silent
 * approver (their manager, the head of their department or else of the requester's).
 */
export function resolveEscalation(target: EscalationTarget, silentIds: readonly string[], ctx: ResolutionContext) {
  const found: (string | null | undefined)[] = [];
  if (target === 'manager') {
    for (const id of silentIds) found.push(ctx.managers?.[id]);
  } else if (target === 'department_head') {
    for (const id of silentIds) {
      const department = ctx.departments?.[id] ?? ctx.requester.departmentId;
      found.push(department ? ctx.departmentHeads[department] : null);
    }
  } else if ('user' in target) {
    found.push(target.user);
  } else {
    found.push(...[...(ctx.usersByRole[target.role] ?? [])].sort());
  }
  const active = ctx.activeUserIds ? new Set(ctx.activeUserIds) : undefined;
  const result: string[] = [];
  for (const id of found) {
    if (!id || id === ctx.requester.id || silentIds.includes(id) || (active && !active.has(id))) continue;
    if (!result.includes(id)) result.push(id);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------------
// Step state

export type Decision = 'approve' | 'reject' | 'return';
export type StepStatus = 'pending' | 'approved' | 'rejected' | 'returned' | 'skipped';

export interface StepApprover {
  userId: string;
  decision: Decision | null;
  /** ISO 8601 UTC. */
  decidedAt: string | null;
  /** Who may currently act for this approver. */
  delegatedTo?: string | null;
  /** ISO 8601 UTC end of the delegation; open-ended when null. */
  delegatedUntil?: string | null;
  comment?: string;
  /** The delegate or escalation target who actually decided, when not the approver. */
  decidedBy?: string | null;
  /** People brought in by escalation who may decide in this approver's place. */
  escalatedTo?: string[];
  /** Set on approvers added after the step started. */
  addedBy?: 'escalation';
}

export interface StepState {
  name: string;
  mode: ApprovalMode;
  quorum?: number;
  status: StepStatus;
  approvers: StepApprover[];
}

export type StepRefusalCode =
  'not_an_approver' | 'already_decided' | 'step_not_pending' | 'invalid_delegation' | 'already_an_approver';
export type StepRefusal = Refusal<StepRefusalCode>;
export type StepResult = Outcome<StepState, StepRefusalCode>;

const toIso = (at: Date | string): string => (typeof at === 'string' ? new Date(at) : at).toISOString();
const isActive = (until: string | null | undefined, at: string) => !until || Date.parse(at) < Date.parse(until);

/** The live state of a step just started with its resolved approvers. */
export function startStep(step: ChainStep, approverIds: readonly string[]): StepState {
  return {
    name: step.name,
    mode: step.mode,
    ...(step.mode === 'quorum' ? { quorum: step.quorum ?? 1 } : {}),
    status: 'pending',
    approvers: [...new Set(approverIds)].map((userId) => ({ userId, decision: null, decidedAt: null })),
  };
}

/** A step the chain does not run (e.g. a later step of a rejected chain). */
export function skipStep(step: ChainStep): StepState {
  return { ...startStep(step, []), status: 'skipped' };
}

/** May `actorId` decide for this approver entry at `at`: themselves, their live delegate, or an escalation target. */
function actsFor(entry: StepApprover, actorId: string, at: string): boolean {
  if (entry.userId === actorId) return true;
  if (entry.delegatedTo === actorId && isActive(entry.delegatedUntil, at)) return true;
  return entry.escalatedTo?.includes(actorId) ?? false;
}

/**
 * Records a decision. The actor decides for every undecided entry they may act for (their own, and those
 * delegated or escalated to them), so a delegate holding two approvers' tasks decides both at once.
 * Refusals, checked in this order: `not_an_approver` (403) when the actor may act for nobody,
 * `already_decided` (409) when everything they may act for is decided, `step_not_pending` (409) when the step
 * has already concluded. A `return` by any of them returns the step at once.
 */
export function applyDecision(
  step: StepState,
  actorId: string,
  decision: Decision,
  at: Date | string,
  comment?: string,
): StepResult {
  const when = toIso(at);
  const mine = step.approvers.filter((a) => actsFor(a, actorId, when));
  if (mine.length === 0) return refuse('not_an_approver', 403, 'You are not an approver of this step.');
  if (mine.every((a) => a.decision !== null)) {
    return refuse('already_decided', 409, 'You have already decided this step.');
  }
  if (step.status !== 'pending') return refuse('step_not_pending', 409, `The step is already ${step.status}.`);
  const approvers = step.approvers.map((a): StepApprover => {
    if (a.decision !== null || !actsFor(a, actorId, when)) return a;
    return {
      ...a,
      decision,
      decidedAt: when,
      ...(a.userId !== actorId ? { decidedBy: actorId } : {}),
      ...(comment !== undefined ? { comment } : {}),
    };
  });
  return accept({ ...step, approvers, status: outcome(step.mode, step.quorum, approvers) });
}

/** The status a step's decisions add up to. A step without approvers stays pending: the workflow decides. */
export function outcome(
  mode: ApprovalMode,
  quorum: number | undefined,
  approvers: readonly StepApprover[],
): StepStatus {
  const total = approvers.length;
  if (total === 0) return 'pending';
  const count = (d: Decision) => approvers.filter((a) => a.decision === d).length;
  if (count('return') > 0) return 'returned';
  const approved = count('approve');
  const rejected = count('reject');
  switch (mode) {
    case 'all':
      if (rejected > 0) return 'rejected';
      return approved === total ? 'approved' : 'pending';
    case 'any':
      if (approved > 0) return 'approved';
      return rejected === total ? 'rejected' : 'pending';
    case 'quorum': {
      const needed = quorum ?? 1;
      if (approved >= needed) return 'approved';
      return total - rejected < needed ? 'rejected' : 'pending';
    }
  }
}

/**
 * Hands an approver's task to someone else until `until` (open-ended without). The approver keeps the right
 * to decide; the delegate is who gets asked. Delegating again replaces the previous delegate.
 */
export function delegate(
  step: StepState,
  fromUserId: string,
  toUserId: string,
  until?: Date | string | null,
): StepResult {
  const index = step.approvers.findIndex((a) => a.userId === fromUserId);
  const entry = step.approvers[index];
  if (!entry) return refuse('not_an_approver', 403, 'Only an approver of this step can delegate it.');
  if (step.status !== 'pending') return refuse('step_not_pending', 409, `The step is already ${step.status}.`);
  if (entry.decision !== null) return refuse('already_decided', 409, 'You have already decided this step.');
  if (!toUserId || toUserId === fromUserId) {
    return refuse('invalid_delegation', 400, 'Delegate to someone other than yourself.');
  }
  const approvers = step.approvers.map((a, i) =>
    i === index ? { ...a, delegatedTo: toUserId, delegatedUntil: until ? toIso(until) : null } : a,
  );
  return accept({ ...step, approvers });
}

/**
 * Ends delegations whose `delegatedUntil` is at or before `now` on entries still undecided, so the task goes
 * back to the approver. Answers the same object when nothing expired, so callers can tell cheaply.
 */
export function revertExpiredDelegations(step: StepState, now: Date | string): StepState {
  const when = toIso(now);
  let changed = false;
  const approvers = step.approvers.map((a) => {
    if (a.decision !== null || !a.delegatedTo || isActive(a.delegatedUntil, when)) return a;
    changed = true;
    return { ...a, delegatedTo: null, delegatedUntil: null };
  });
  return changed ? { ...step, approvers } : step;
}

/**
 * Adds an approver after the step started (an escalation to someone who votes in their own right, e.g. in
 * `any` or `quorum` mode). In `all` mode this makes them one more person who must approve; to let someone
 * answer for an approver who stays silent use {@link escalate}.
 */
export function addApprover(step: StepState, userId: string): StepResult {
  if (step.status !== 'pending') return refuse('step_not_pending', 409, `The step is already ${step.status}.`);
  if (step.approvers.some((a) => a.userId === userId)) {
    return refuse('already_an_approver', 409, 'This user is already an approver of the step.');
  }
  const approvers = [
    ...step.approvers,
    { userId, decision: null, decidedAt: null, addedBy: 'escalation' } satisfies StepApprover,
  ];
  return accept({ ...step, approvers, status: outcome(step.mode, step.quorum, approvers) });
}

/**
 * Lets `toUserId` decide in place of the undecided approver `silentUserId` (the approver may still decide
 * too). Escalating to the same person twice is harmless.
 */
export function escalate(step: StepState, silentUserId: string, toUserId: string): StepResult {
  const index = step.approvers.findIndex((a) => a.userId === silentUserId);
  const entry = step.approvers[index];
  if (!entry) return refuse('not_an_approver', 403, `${silentUserId} is not an approver of this step.`);
  if (step.status !== 'pending') return refuse('step_not_pending', 409, `The step is already ${step.status}.`);
  if (entry.decision !== null) return refuse('already_decided', 409, `${silentUserId} has already decided.`);
  if (toUserId === silentUserId || entry.escalatedTo?.includes(toUserId)) return accept(step);
  const approvers = step.approvers.map((a, i) =>
    i === index ? { ...a, escalatedTo: [...(a.escalatedTo ?? []), toUserId] } : a,
  );
  return accept({ ...step, approvers });
}

/**
 * The people who still have to act on a pending step, for reminders and task lists: for each undecided
 * approver the live delegate instead of the approver, plus anyone escalated to. Pass `now` to treat
 * delegations that ran out as ended.
 */
export function pendingApproverIds(step: StepState, now?: Date | string): string[] {
  if (step.status !== 'pending') return [];
  const when = now === undefined ? undefined : toIso(now);
  const ids: string[] = [];
  const push = (id: string) => {
    if (!ids.includes(id)) ids.push(id);
  };
  for (const a of step.approvers) {
    if (a.decision !== null) continue;
    const delegated = a.delegatedTo && (when === undefined || isActive(a.delegatedUntil, when));
    push(delegated ? a.delegatedTo! : a.userId);
    for (const id of a.escalatedTo ?? []) push(id);
  }
  return ids;
}

/** Undecided approvers (not their delegates): the ones an escalation is about. */
export function silentApproverIds(step: StepState): string[] {
  return step.status === 'pending' ? step.approvers.filter((a) => a.decision === null).map((a) => a.userId) : [];
}

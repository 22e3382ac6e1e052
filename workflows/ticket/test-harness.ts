/* eslint-disable no-restricted-imports -- test support for *.workflow.test.ts: runs in Node next to a worker
   and is never part of the workflow bundle (workflows/index.ts does not import it). */
/**
 * Test support for the ticket workflow: a time-skipping Temporal test server, a worker running the real
 * workflow bundle with fake activities that record every call, and helpers to start tickets, wait for events
 * and record histories for the replay test.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import * as proto from '@temporalio/proto';
import { temporal } from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';
import { type TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { type TicketActivities } from '../../activities/ticket/types';
import { type ApprovalChainDefinition, type ResolvedApprovers } from '../../domain/approval-chain';
import { type BusinessCalendar } from '../../domain/calendar';
import { createTimeSkippingEnv } from '../../test/temporal-env';
import {
  type TicketEvent,
  type TicketEventType,
  type TicketWorkflowInput,
  type TicketWorkflowState,
  stateQuery,
  ticketWorkflowId,
} from './definitions';
import { TICKET_SEARCH_ATTRIBUTES } from './search-attributes';
import { ticketWorkflow, type TicketWorkflowOptions } from './workflow';

export const HISTORIES_DIR = path.join(__dirname, '__histories__');

/** Mon-Fri 09:00-18:00 in Taipei (UTC+8, no daylight-saving time). */
export const TAIPEI_CALENDAR: BusinessCalendar = {
  timezone: 'Asia/Taipei',
  workingHours: {
    mon: [['09:00', '18:00']],
    tue: [['09:00', '18:00']],
    wed: [['09:00', '18:00']],
    thu: [['09:00', '18:00']],
    fri: [['09:00', '18:00']],
  },
  holidays: [],
};

/** What the fake directory answers for one ticket. */
export interface TicketScenario {
  /** Approvers per step name, resolved when the step starts (a function sees how often it was asked). */
  approvers: Record<string, string[] | ((call: number) => string[])>;
  /** Escalation targets per silent approver. */
  escalation?: Record<string, string[]>;
  /** What `pickAssignee` answers. */
  assignee?: string | null;
  /** `recordTicketEvent` fails the first attempt for events of these types (retries must reuse the event id). */
  failRecordOnce?: TicketEventType[];
  /** Non-retryable failures (input no retry can fix): recording these event types, resolving these steps. */
  failPermanently?: { record?: TicketEventType[]; steps?: string[] };
}

export interface ActivityCall {
  name: keyof TicketActivities;
  input: unknown;
}

/** Fake activities: answers from per-ticket scenarios, records every call and event. */
export class FakeTicketActivities {
  readonly scenarios = new Map<string, TicketScenario>();
  readonly calls = new Map<string, ActivityCall[]>();
  readonly recorded = new Map<string, { event: TicketEvent; state: TicketWorkflowState }[]>();
  readonly published = new Map<string, TicketEvent[]>();
  private readonly stepCalls = new Map<string, number>();
  private readonly failed = new Set<string>();

  private log(ticketId: string, name: keyof TicketActivities, input: unknown) {
    const list = this.calls.get(ticketId) ?? [];
    list.push({ name, input });
    this.calls.set(ticketId, list);
  }

  private scenario(ticketId: string): TicketScenario {
    const s = this.scenarios.get(ticketId);
    if (!s) throw new Error(`No scenario for ticket ${ticketId}`);
    return s;
  }

  events(ticketId: string): TicketEvent[] {
    return (this.recorded.get(ticketId) ?? []).map((r) => r.event);
  }

  types(ticketId: string): TicketEventType[] {
    return this.events(ticketId).map((e) => e.type);
  }

  activities(): TicketActivities {
    return {
      resolveStepApprovers: async (input) => {
        this.log(input.ticketId, 'resolveStepApprovers', input);
        if (this.scenario(input.ticketId).failPermanently?.steps?.includes(input.step.name)) {
          throw ApplicationFailure.nonRetryable('bad approver reference (injected)', 'invalid_input');
        }
        const key = `${input.ticketId}/${input.step.name}`;
        const call = (this.stepCalls.get(key) ?? 0) + 1;
        this.stepCalls.set(key, call);
        const spec = this.scenario(input.ticketId).approvers[input.step.name] ?? [];
        const approvers = typeof spec === 'function' ? spec(call) : spec;
        const result: ResolvedApprovers = {
          approvers,
          problem:
            approvers.length === 0
              ? 'no_approvers'
              : input.step.mode === 'quorum' && (input.step.quorum ?? 1) > approvers.length
                ? 'quorum_unreachable'
                : null,
          unresolved: approvers.length === 0 ? input.step.approvers : [],
        };
        return result;
      },
      resolveEscalationTargets: async (input) => {
        this.log(input.ticketId, 'resolveEscalationTargets', input);
        const map = this.scenario(input.ticketId).escalation ?? {};
        return [...new Set(input.silentIds.flatMap((id) => map[id] ?? []))];
      },
      recordTicketEvent: async (input) => {
        this.log(input.event.ticketId, 'recordTicketEvent', input);
        if (this.scenarios.get(input.event.ticketId)?.failPermanently?.record?.includes(input.event.type)) {
          throw ApplicationFailure.nonRetryable('invalid input (injected)', 'invalid_input');
        }
        const failing = this.scenarios.get(input.event.ticketId)?.failRecordOnce ?? [];
        if (failing.includes(input.event.type) && !this.failed.has(input.event.eventId)) {
          this.failed.add(input.event.eventId);
          throw new Error('database unavailable (injected)');
        }
        const list = this.recorded.get(input.event.ticketId) ?? [];
        // Idempotent by event id, like the real one.
        if (!list.some((r) => r.event.eventId === input.event.eventId)) list.push(input);
        this.recorded.set(input.event.ticketId, list);
      },
      publishTicketEvent: async (input) => {
        this.log(input.event.ticketId, 'publishTicketEvent', input);
        const list = this.published.get(input.event.ticketId) ?? [];
        if (!list.some((e) => e.eventId === input.event.eventId)) list.push(input.event);
        this.published.set(input.event.ticketId, list);
      },
      pickAssignee: async (input) => {
        this.log(input.ticketId, 'pickAssignee', input);
        return this.scenario(input.ticketId).assignee ?? null;
      },
    };
  }
}

export interface TicketTestEnv {
  env: TestWorkflowEnvironment;
  fakes: FakeTicketActivities;
  taskQueue: string;
  teardown(): Promise<void>;
}

/** Starts the test server (registering the search attributes) and a worker with fake activities. */
export async function createTicketTestEnv(
  taskQueue: string,
  workerOptions: { maxCachedWorkflows?: number } = {},
): Promise<TicketTestEnv> {
  const env = await createTimeSkippingEnv();
  await registerSearchAttributes(env);
  const fakes = new FakeTicketActivities();
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('../index'),
    activities: fakes.activities(),
    ...workerOptions,
  });
  const running = worker.run();
  return {
    env,
    fakes,
    taskQueue,
    async teardown() {
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}

async function registerSearchAttributes(env: TestWorkflowEnvironment): Promise<void> {
  const types = { KEYWORD: 2, KEYWORD_LIST: 7 } as const; // temporal.api.enums.v1.IndexedValueType
  const searchAttributes: Record<string, number> = {};
  for (const key of TICKET_SEARCH_ATTRIBUTES) searchAttributes[key.name] = types[key.type];
  await env.connection.operatorService.addSearchAttributes({ namespace: env.namespace ?? 'default', searchAttributes });
}

let counter = 0;
/** A fresh ticket id per test, so scenarios never collide. */
export const newTicketId = (label: string) => `${label}-${++counter}-${Date.now().toString(36)}`;

export interface StartOptions {
  ticketId: string;
  chain: ApprovalChainDefinition | null;
  calendar?: BusinessCalendar | null;
  scenario: TicketScenario;
  options?: TicketWorkflowOptions;
  state?: TicketWorkflowState;
}

export const REQUESTER = { id: 'requester', managerId: 'manager', departmentId: 'dept-1' };

/** Starts a ticket workflow the way the API does, with its submission instant = the server's now. */
export async function startTicket(t: TicketTestEnv, o: StartOptions): Promise<WorkflowHandle<typeof ticketWorkflow>> {
  t.fakes.scenarios.set(o.ticketId, o.scenario);
  const submittedAt = new Date(await t.env.currentTimeMs()).toISOString();
  const input: TicketWorkflowInput & { options?: TicketWorkflowOptions } = {
    ticketId: o.ticketId,
    number: 1000 + counter,
    title: `Ticket ${o.ticketId}`,
    category: o.chain?.category ?? 'general',
    priority: 'normal',
    requester: REQUESTER,
    chain: o.chain ? { id: `chain-${o.chain.category}`, version: 3, definition: o.chain } : null,
    calendar: o.calendar ?? null,
    submittedAt,
    ...(o.options ? { options: o.options } : {}),
    ...(o.state ? { state: o.state } : {}),
  };
  return t.env.client.workflow.start(ticketWorkflow, {
    workflowId: ticketWorkflowId(o.ticketId),
    taskQueue: t.taskQueue,
    args: [input],
  });
}

/** Polls (in real time) until `check` stops throwing. */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Waits until the ticket's recorded events include `count` events of `type`, and answers them. */
export async function waitForEvents(t: TicketTestEnv, ticketId: string, type: TicketEventType, count = 1) {
  return eventually(() => {
    const found = t.fakes.events(ticketId).filter((e) => e.type === type);
    if (found.length < count) {
      throw new Error(
        `Expected ${count} "${type}" event(s), got ${found.length}: ${t.fakes.types(ticketId).join(', ')}`,
      );
    }
    return found;
  });
}

export const queryState = (handle: WorkflowHandle) => handle.query(stateQuery);

/** Milliseconds from the server's now to the next `weekday` (0 = Sunday) at `hour`:00 in Taipei. */
export async function untilNextTaipei(env: TestWorkflowEnvironment, weekday: number, hour: number): Promise<number> {
  const now = await env.currentTimeMs();
  const local = new Date(now + 8 * 3_600_000); // Taipei wall clock written as UTC
  const target = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), hour));
  let days = (weekday - local.getUTCDay() + 7) % 7;
  if (days === 0 && target.getTime() <= local.getTime()) days = 7;
  return target.getTime() + days * 86_400_000 - local.getTime();
}

/**
 * Proto3 JSON of a history, the format of `temporal workflow show --output json`. Uses the protobufjs copy that
 * `@temporalio/proto` itself loads: `historyToJSON`/`historyFromJSON` of `@temporalio/common` throw "type must
 * be a Type" when npm installs two protobufjs copies (as it does here: common's own 8.x next to proto's).
 */
function historyCodec() {
  const base = path.dirname(require.resolve('@temporalio/proto/package.json'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved relative to @temporalio/proto on purpose
  const protojson = require(require.resolve('protobufjs/ext/protojson', { paths: [base] })) as {
    toJson(this: void, type: unknown, message: unknown): unknown;
    fromJson(this: void, type: unknown, json: unknown, options: object): unknown;
  };
  const root = patchProtobufRoot(proto as unknown as Record<string, unknown>) as unknown as {
    lookupType(name: string): unknown;
  };
  const type = root.lookupType('temporal.api.history.v1.History');
  return {
    toJson: (history: temporal.api.history.v1.IHistory) =>
      protojson.toJson(type, temporal.api.history.v1.History.fromObject(history)),
    fromJson: (json: unknown) =>
      protojson.fromJson(type, json, { ignoreUnknownFields: true }) as temporal.api.history.v1.IHistory,
  };
}

/** Reads a recorded history fixture. */
export function loadHistory(file: string): temporal.api.history.v1.IHistory {
  return historyCodec().fromJson(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/** The recorded history fixtures, by name. */
export function historyFixtures(): { name: string; file: string }[] {
  if (!fs.existsSync(HISTORIES_DIR)) return [];
  return fs
    .readdirSync(HISTORIES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.replace(/\.json$/, ''), file: path.join(HISTORIES_DIR, f) }));
}

/**
 * Writes a finished workflow's history as a replay fixture when `RECORD_HISTORIES=1`
 * (`RECORD_HISTORIES=1 npx jest --selectProjects workflows --runInBand workflows/ticket`).
 */
export async function maybeRecordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await handle.fetchHistory();
  fs.mkdirSync(HISTORIES_DIR, { recursive: true });
  const json = JSON.stringify(historyCodec().toJson(history), null, 2);
  fs.writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), `${json}\n`);
}

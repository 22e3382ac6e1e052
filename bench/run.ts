/**
 * Ticket submission and decision benchmark against the running stack (`npm run up` first).
 *
 *   npm run bench -- [--count 300] [--concurrency 16]
 *
 * 1. Raw Temporal: `client.workflow.start` of a waiting workflow, the ceiling for submissions.
 * 2. Submission through the API: `POST /tickets` with `submit: true` (row, chain lookup, workflow start).
 * 3. Decisions: `POST /tickets/:id/decisions` on those tickets (an Update answered once the workflow
 *    accepted it and recorded the event), p50/p99 latency.
 * Everything it starts is terminated at the end. Results go to stdout and bench/results/.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../infra/config';
import { ticketWorkflowId } from '../workflows/ticket/definitions';
import { httpJson, machine, numberOption, pool, saveResult } from './lib';

const COUNT = numberOption('count', 300);
const CONCURRENCY = numberOption('concurrency', 16);
const config = loadConfig();
const BASE = process.env.TICKET_API_URL ?? `http://127.0.0.1:${config.TICKET_API_PORT}`;
const api = (method: string, p: string, token: string | null, body?: unknown) =>
  httpJson(method, `${BASE}/api/v1${p}`, token, body);

async function main() {
  const admin = (
    await api('POST', '/auth/token', null, {
      grant_type: 'password',
      username: config.ADMIN_USERNAME,
      password: config.ADMIN_PASSWORD,
    })
  ).access_token as string;
  const suffix = randomUUID().slice(0, 6);
  const password = 'bench-password-1';
  const approver = (
    await api('POST', '/users', admin, {
      username: `bench-approver-${suffix}`,
      password,
      displayName: 'Bench approver',
      roles: ['approver'],
    })
  ).id as string;
  await api('POST', '/users', admin, {
    username: `bench-requester-${suffix}`,
    password,
    displayName: 'Bench requester',
  });
  const category = `bench-${suffix}`;
  await api('POST', '/approval-chains', admin, {
    name: category,
    category,
    steps: [{ name: 'Approve', mode: 'any', approvers: [{ type: 'user', value: approver }] }],
  });
  const login = async (u: string) =>
    (await api('POST', '/auth/token', null, { grant_type: 'password', username: u, password })).access_token as string;
  const requesterToken = await login(`bench-requester-${suffix}`);
  const approverToken = await login(`bench-approver-${suffix}`);

  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const rawIds: string[] = [];
  const raw = await pool(COUNT, CONCURRENCY, async (i) => {
    const workflowId = `bench-raw-${suffix}-${i}`;
    await client.workflow.start('diagnosticWorkflow', {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId,
      args: [{ message: 'bench', delay: '1 day' }],
    });
    rawIds.push(workflowId);
  });

  const ticketIds: string[] = [];
  const submit = await pool(COUNT, CONCURRENCY, async (i) => {
    const t = await api('POST', '/tickets', requesterToken, { title: `Bench ticket ${i}`, category, submit: true });
    ticketIds.push(t.id as string);
  });

  // Until every submitted ticket waits at its first step (approvers resolved, inbox written): how long the
  // worker takes to catch up with the burst of submissions.
  const settleStarted = performance.now();
  for (const id of ticketIds) {
    for (;;) {
      const t = await api('GET', `/tickets/${id}`, approverToken).catch(() => undefined);
      const approval = t?.approval as { currentStep?: number | null } | null | undefined;
      if (approval && approval.currentStep === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const settleSeconds = (performance.now() - settleStarted) / 1000;

  const decide = await pool(ticketIds.length, CONCURRENCY, async (i) => {
    await api('POST', `/tickets/${ticketIds[i]!}/decisions`, approverToken, { decision: 'approve' });
  });

  for (const id of [...rawIds, ...ticketIds.map(ticketWorkflowId)]) {
    await client.workflow
      .getHandle(id)
      .terminate('benchmark finished')
      .catch(() => undefined);
  }
  await connection.close();

  const host = machine();
  const rows = [
    ['client.workflow.start (raw)', raw],
    ['POST /tickets submit:true (API)', submit],
    ['POST /tickets/:id/decisions (Update)', decide],
  ] as const;
  const table = [
    `count ${COUNT}, concurrency ${CONCURRENCY}; ${host}`,
    '| operation | per second | p50 ms | p90 ms | p99 ms |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows.map(
      ([name, r]) =>
        `| ${name} | ${r.perSecond.toFixed(1)} | ${r.p50.toFixed(1)} | ${r.p90.toFixed(1)} | ${r.p99.toFixed(1)} |`,
    ),
  ].join('\n');
  console.log(table);
  console.log(
    `all ${ticketIds.length} submitted tickets were waiting at their first step ${settleSeconds.toFixed(1)} s after the last submission`,
  );
  saveResult('tickets', { machine: host, count: COUNT, concurrency: CONCURRENCY, raw, submit, settleSeconds, decide });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

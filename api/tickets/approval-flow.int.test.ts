import { randomUUID } from 'node:crypto';
import { createTicketApp } from '../ticket-app';
import { agent, bearer, buildUser, createHarness, startWorker, type Harness } from '../../test/harness';
import { Department } from '../../models';
import { TOPICS } from '../../infra/kafka';
import { ticketWorkflowId } from '../../workflows/ticket/definitions';

/**
 * The approval flow end to end through the REST API: the real Temporal dev server and a worker with the
 * real activities writing PostgreSQL and publishing to Kafka.
 */
describe('approval flow through the API, Temporal, PostgreSQL and Kafka', () => {
  let h: Harness;
  let api: ReturnType<typeof agent>;
  let stopWorker: () => Promise<void>;
  const started: string[] = [];
  const users: Record<string, { id: string; auth: { Authorization: string } }> = {};
  const kafkaEvents: { key: string; eventId: string; value: { type: string; ticketId: string } }[] = [];
  let stopConsumer: () => Promise<void>;

  beforeAll(async () => {
    h = await createHarness({ TEMPORAL_TASK_QUEUE: `tk-test-${randomUUID().slice(0, 8)}` });
    await h.reset();
    api = agent(createTicketApp(h.infra));
    stopWorker = await startWorker(h.infra);
    const dept = await Department.create({ name: 'Sales', headId: null });
    const make = async (
      name: string,
      roles: ('requester' | 'approver' | 'agent' | 'admin')[],
      extra: { managerId?: string } = {},
    ) => {
      const u = await buildUser({ username: name, roles, departmentId: dept.id, ...extra });
      users[name] = { id: u.id, auth: bearer(h.infra, u.id) };
      return u;
    };
    const head = await make('head', ['requester', 'approver']);
    await dept.update({ headId: head.id });
    const manager = await make('manager', ['requester', 'approver']);
    await make('requester', ['requester'], { managerId: manager.id });
    await make('finance', ['requester', 'approver']);
    await make('deputy', ['requester', 'approver']);
    await make('agent', ['requester', 'agent']);
    await make('admin', ['requester', 'admin']);

    const consumer = h.infra.kafka.consumer({ groupId: `test-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPICS.ticketEvents, fromBeginning: false });
    await consumer.run({
      eachMessage: async ({ message }) => {
        kafkaEvents.push({
          key: message.key!.toString(),
          eventId: message.headers!['event-id']!.toString(),
          value: JSON.parse(message.value!.toString()),
        });
      },
    });
    stopConsumer = () => consumer.disconnect();

    const chain = (category: string, steps: object[]) =>
      api.http
        .post('/api/v1/approval-chains')
        .set(users.admin!.auth)
        .send({ name: category, category, steps, sla: { response: 'PT1H', resolution: 'P1D' } })
        .expect(201);
    await chain('purchase', [
      { name: 'Manager', mode: 'all', approvers: [{ type: 'manager' }] },
      { name: 'Finance', mode: 'any', approvers: [{ type: 'user', value: users.finance!.id }] },
    ]);
    await chain('urgent-access', [
      {
        name: 'Manager',
        mode: 'all',
        approvers: [{ type: 'manager' }],
        remindAfter: 'PT2S',
        escalateAfter: 'PT5S',
        escalateTo: 'department_head',
      },
    ]);
  }, 120_000);

  afterAll(async () => {
    for (const id of started)
      await h.infra.temporal.client.workflow
        .getHandle(ticketWorkflowId(id))
        .terminate('test finished')
        .catch(() => undefined);
    await stopConsumer?.();
    await stopWorker?.();
    api.server.close();
    await h.close();
  });

  const submit = async (category: string, title = 'New laptop') => {
    const res = await api.http
      .post('/api/v1/tickets')
      .set(users.requester!.auth)
      .send({ title, description: 'For the new hire', category, submit: true });
    expect(res.status).toBe(201);
    started.push(res.body.id);
    return res.body as { id: string; status: string; number: number };
  };
  const decide = (who: string, id: string, decision: string, key?: string) => {
    const req = api.http.post(`/api/v1/tickets/${id}/decisions`).set(users[who]!.auth);
    if (key) req.set('Idempotency-Key', key);
    return req.send({ decision, comment: `${who} says ${decision}` });
  };
  const eventually = async <T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> => {
    const until = Date.now() + ms;
    for (;;) {
      const v = await fn();
      if (ok(v) || Date.now() > until) return v;
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  it('approves through two steps; the inbox, history, notifications and Kafka follow', async () => {
    const t = await submit('purchase');
    expect(t.status).toBe('pending_approval');

    const inbox = await eventually(
      () => api.http.get('/api/v1/approvals?status=pending').set(users.manager!.auth),
      (r) => r.body.data.length > 0,
    );
    expect(inbox.body.data[0]).toMatchObject({
      ticketId: t.id,
      ticketNumber: t.number,
      title: 'New laptop',
      step: 'Manager',
    });

    // Finance is not an approver of the first step yet: 403 (they cannot even see it: 404).
    const early = await decide('finance', t.id, 'approve');
    expect([403, 404]).toContain(early.status);

    const key = randomUUID();
    const first = await decide('manager', t.id, 'approve', key);
    expect(first.status).toBe(200);
    expect(first.body.approval.steps[0]).toMatchObject({ name: 'Manager', status: 'approved' });
    expect(first.body.approval.currentStep).toBe(1);
    const replay = await decide('manager', t.id, 'approve', key);
    expect(replay.status).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const duplicate = await decide('manager', t.id, 'approve');
    expect(duplicate.status).toBe(409);

    const second = await decide('finance', t.id, 'approve');
    expect(second.status).toBe(200);
    expect(second.body.status).not.toBe('pending_approval');
    expect(second.body.approval.steps.map((s: { status: string }) => s.status)).toEqual(['approved', 'approved']);
    expect(second.body.sla.responseDueAt).toBeTruthy();

    const history = await eventually(
      () => api.http.get(`/api/v1/tickets/${t.id}/history`).set(users.requester!.auth),
      (r) => r.body.data.filter((e: { type: string }) => e.type === 'decided').length >= 2,
    );
    const types = history.body.data.map((e: { type: string }) => e.type);
    expect(types[0]).toBe('created');
    expect(types).toEqual(expect.arrayContaining(['submitted', 'step_started', 'decided']));

    const managerNotes = await api.http.get('/api/v1/notifications?unread=true').set(users.manager!.auth);
    expect(managerNotes.body.data.length).toBeGreaterThan(0);
    await api.http
      .post(`/api/v1/notifications/${managerNotes.body.data[0].id}/read`)
      .set(users.manager!.auth)
      .expect(200);

    const events = await eventually(
      async () => kafkaEvents.filter((e) => e.key === t.id),
      (e) => e.filter((x) => x.value.type === 'ticket.decided').length >= 2,
    );
    expect(events.map((e) => e.value.type)).toEqual(
      expect.arrayContaining(['ticket.submitted', 'ticket.step_started', 'ticket.decided']),
    );
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);

    const got = await api.http.get(`/api/v1/tickets/${t.id}`).set(users.manager!.auth);
    expect(got.status).toBe(200);
    expect((await api.http.get(`/api/v1/tickets/${t.id}`).set(users.deputy!.auth)).status).toBe(404);
  });

  it('delegates a pending approval; the delegate decides; bad delegations are refused', async () => {
    const t = await submit('purchase', 'Team offsite');
    await eventually(
      () => api.http.get('/api/v1/approvals').set(users.manager!.auth),
      (r) => r.body.data.some((x: { ticketId: string }) => x.ticketId === t.id),
    );
    const path = `/api/v1/tickets/${t.id}/delegations`;
    expect((await api.http.post(path).set(users.manager!.auth).send({ toUserId: 'nobody' })).status).toBe(400);
    expect((await api.http.post(path).set(users.manager!.auth).send({ toUserId: randomUUID() })).status).toBe(400);
    expect((await api.http.post(path).send({ toUserId: users.deputy!.id })).status).toBe(401);
    const stranger = await api.http.post(path).set(users.finance!.auth).send({ toUserId: users.deputy!.id });
    expect([403, 404]).toContain(stranger.status);
    const until = new Date(Date.now() + 3600_000).toISOString();
    const delegated = await api.http
      .post(path)
      .set(users.manager!.auth)
      .send({ toUserId: users.deputy!.id, until, comment: 'On leave' });
    expect(delegated.status).toBe(200);
    expect(delegated.body.approval.steps[0].approvers[0]).toMatchObject({
      userId: users.manager!.id,
      delegatedTo: users.deputy!.id,
    });
    const byDeputy = await decide('deputy', t.id, 'approve');
    expect(byDeputy.status).toBe(200);
    expect(byDeputy.body.approval.steps[0].status).toBe('approved');
    const history = await eventually(
      () => api.http.get(`/api/v1/tickets/${t.id}/history`).set(users.requester!.auth),
      (r) => r.body.data.some((e: { type: string }) => e.type === 'delegated'),
    );
    expect(history.body.data.map((e: { type: string }) => e.type)).toContain('delegated');
  });

  it('rejects at step two', async () => {
    const t = await submit('purchase', 'Second monitor');
    await eventually(
      () => decide('manager', t.id, 'approve'),
      (r) => r.status === 200,
    );
    const res = await eventually(
      () => decide('finance', t.id, 'reject'),
      (r) => r.status === 200,
    );
    expect(res.body.status).toBe('rejected');
    expect(res.body.approval.steps[1].status).toBe('rejected');
    const after = await decide('finance', t.id, 'approve');
    expect(after.status).toBe(409);
  });

  it('returns to the requester, who edits and resubmits; approval continues at that step', async () => {
    const t = await submit('purchase', 'Conference trip');
    await eventually(
      () => decide('manager', t.id, 'approve'),
      (r) => r.status === 200,
    );
    const returned = await eventually(
      () => decide('finance', t.id, 'return'),
      (r) => r.status === 200,
    );
    expect(returned.body.status).toBe('returned');
    await api.http
      .patch(`/api/v1/tickets/${t.id}`)
      .set(users.requester!.auth)
      .send({ description: 'Cheaper hotel' })
      .expect(200);
    const resubmitted = await api.http.post(`/api/v1/tickets/${t.id}/submit`).set(users.requester!.auth);
    expect(resubmitted.status).toBe(200);
    expect(resubmitted.body.status).toBe('pending_approval');
    expect(resubmitted.body.approval.currentStep).toBe(1);
    expect(resubmitted.body.approval.steps[0].status).toBe('approved');
    const done = await eventually(
      () => decide('finance', t.id, 'approve'),
      (r) => r.status === 200,
    );
    expect(done.body.approval.steps[1].status).toBe('approved');
  });

  it('reminds after seconds and escalates to the department head', async () => {
    const t = await submit('urgent-access', 'VPN access');
    const live = await eventually(
      () => api.http.get(`/api/v1/tickets/${t.id}`).set(users.requester!.auth),
      (r) => Boolean(r.body.approval?.nextReminderAt),
    );
    expect(live.body.approval.nextReminderAt).toBeTruthy();
    expect(live.body.approval.nextEscalationAt).toBeTruthy();
    const history = await eventually(
      () => api.http.get(`/api/v1/tickets/${t.id}/history`).set(users.requester!.auth),
      (r) => r.body.data.some((e: { type: string }) => e.type === 'escalated'),
      30_000,
    );
    const types = history.body.data.map((e: { type: string }) => e.type);
    expect(types).toContain('reminded');
    expect(types).toContain('escalated');
    const headInbox = await eventually(
      () => api.http.get('/api/v1/approvals').set(users.head!.auth),
      (r) => r.body.data.some((x: { ticketId: string }) => x.ticketId === t.id),
    );
    expect(headInbox.body.data.map((x: { ticketId: string }) => x.ticketId)).toContain(t.id);
    const res = await decide('head', t.id, 'approve');
    expect(res.status).toBe(200);
    expect(res.body.approval.steps[0].status).toBe('approved');
  }, 60_000);

  it('submitting twice with one Idempotency-Key starts one workflow; a second plain submit is a 409', async () => {
    const draft = await api.http
      .post('/api/v1/tickets')
      .set(users.requester!.auth)
      .send({ title: 'Chair', category: 'purchase' });
    started.push(draft.body.id);
    const key = randomUUID();
    const a = await api.http
      .post(`/api/v1/tickets/${draft.body.id}/submit`)
      .set(users.requester!.auth)
      .set('Idempotency-Key', key);
    const b = await api.http
      .post(`/api/v1/tickets/${draft.body.id}/submit`)
      .set(users.requester!.auth)
      .set('Idempotency-Key', key);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.body.id).toBe(a.body.id);
    expect((await api.http.post(`/api/v1/tickets/${draft.body.id}/submit`).set(users.requester!.auth)).status).toBe(
      409,
    );
    // The manager may see the submitted ticket (they approve it) but only the requester submits.
    await eventually(
      () => api.http.get('/api/v1/approvals').set(users.manager!.auth),
      (r) => r.body.data.some((x: { ticketId: string }) => x.ticketId === draft.body.id),
    );
    expect((await api.http.post(`/api/v1/tickets/${draft.body.id}/submit`).set(users.manager!.auth)).status).toBe(403);
  });

  it('a category without a chain is approved at once; agents process it', async () => {
    const t = await submit('no-chain-here', 'Mouse');
    expect(t.status).toBe('approved');
    const assigned = await eventually(
      () =>
        api.http.post(`/api/v1/tickets/${t.id}/assign`).set(users.admin!.auth).send({ assigneeId: users.agent!.id }),
      (r) => r.status === 200,
    );
    expect(assigned.body.assigneeId).toBe(users.agent!.id);
    expect((await api.http.post(`/api/v1/tickets/${t.id}/resolve`).set(users.agent!.auth).send({})).status).toBe(400);
    expect(
      (
        await api.http
          .post(`/api/v1/tickets/${t.id}/assign`)
          .set(users.admin!.auth)
          .send({ assigneeId: users.requester!.id })
      ).status,
    ).toBe(400);
    expect(
      (await api.http.post(`/api/v1/tickets/${t.id}/close`).set(users.requester!.auth).send({ reason: 'x' })).status,
    ).toBe(400);
    for (const action of ['assign', 'resolve', 'close', 'reopen', 'cancel']) {
      expect((await api.http.post(`/api/v1/tickets/${t.id}/${action}`)).status).toBe(401);
    }
    expect((await api.http.post(`/api/v1/tickets/${t.id}/close`).set(users.deputy!.auth)).status).toBe(404);
    const resolved = await api.http
      .post(`/api/v1/tickets/${t.id}/resolve`)
      .set(users.agent!.auth)
      .send({ resolution: 'Replaced the mouse' });
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe('resolved');
    expect(
      (await api.http.post(`/api/v1/tickets/${t.id}/resolve`).set(users.requester!.auth).send({ resolution: 'me' }))
        .status,
    ).toBe(403);
    const closed = await api.http.post(`/api/v1/tickets/${t.id}/close`).set(users.requester!.auth);
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
  });
});

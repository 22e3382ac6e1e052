import { randomUUID } from 'node:crypto';
import { createTicketApp } from '../ticket-app';
import { agent, bearer, buildUser, createHarness, type Harness } from '../../test/harness';

const weekdays = {
  mon: [['09:00', '18:00']],
  tue: [['09:00', '18:00']],
  wed: [['09:00', '18:00']],
  thu: [['09:00', '18:00']],
  fri: [['09:00', '18:00']],
};

describe('calendars and approval chains', () => {
  let h: Harness;
  let api: ReturnType<typeof agent>;
  let admin: { Authorization: string };
  let requester: { Authorization: string };
  let approverId: string;

  beforeAll(async () => {
    h = await createHarness();
    await h.reset();
    api = agent(createTicketApp(h.infra));
    admin = bearer(h.infra, (await buildUser({ roles: ['requester', 'admin'] })).id);
    requester = bearer(h.infra, (await buildUser()).id);
    approverId = (await buildUser({ roles: ['requester', 'approver'] })).id;
  });

  afterAll(async () => {
    api.server.close();
    await h.close();
  });

  const twoSteps = (calendarId: string | null, category = 'purchase') => ({
    name: 'Purchase over budget',
    category,
    calendarId,
    sla: { response: 'PT8H', resolution: 'P5D' },
    steps: [
      {
        name: 'Manager',
        mode: 'all',
        approvers: [{ type: 'manager' }],
        remindAfter: 'P1D',
        escalateAfter: 'P2D',
        escalateTo: 'department_head',
      },
      {
        name: 'Finance',
        mode: 'quorum',
        quorum: 1,
        approvers: [
          { type: 'role', value: 'approver' },
          { type: 'user', value: approverId },
        ],
      },
    ],
  });

  it('creates, lists, reads and replaces a calendar', async () => {
    const created = await api.http
      .post('/api/v1/calendars')
      .set(admin)
      .send({ name: 'Taipei office', timezone: 'Asia/Taipei', workingHours: weekdays, holidays: ['2027-01-01'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Taipei office', timezone: 'Asia/Taipei', holidays: ['2027-01-01'] });
    const id = created.body.id as string;
    expect((await api.http.get(`/api/v1/calendars/${id}`).set(admin)).body.workingHours.mon).toEqual([
      ['09:00', '18:00'],
    ]);
    expect((await api.http.get('/api/v1/calendars').set(admin)).body.data).toHaveLength(1);
    const replaced = await api.http
      .put(`/api/v1/calendars/${id}`)
      .set(admin)
      .send({ name: 'Taipei', timezone: 'Asia/Taipei', workingHours: { mon: [['10:00', '16:00']] } });
    expect(replaced.status).toBe(200);
    expect(replaced.body.holidays).toEqual([]);
  });

  it('refuses invalid calendars with field errors', async () => {
    const res = await api.http
      .post('/api/v1/calendars')
      .set(admin)
      .send({
        name: 'Bad',
        timezone: 'Mars/Olympus',
        workingHours: { mon: [['18:00', '09:00']], funday: [] },
        holidays: ['2027-02-30'],
      });
    expect(res.status).toBe(400);
    const paths = (res.body.errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.workingHours']));
    const semantic = await api.http
      .post('/api/v1/calendars')
      .set(admin)
      .send({
        name: 'Bad',
        timezone: 'Mars/Olympus',
        workingHours: { mon: [['18:00', '09:00']] },
        holidays: ['2027-02-30'],
      });
    expect(semantic.status).toBe(400);
    expect((semantic.body.errors as { path: string }[]).map((e) => e.path)).toEqual(
      expect.arrayContaining(['body.timezone', 'body.workingHours.mon.0', 'body.holidays.0']),
    );
  });

  it('versions chains: an edit is a new version and old versions stay readable', async () => {
    const cal = (
      await api.http
        .post('/api/v1/calendars')
        .set(admin)
        .send({ name: 'c', timezone: 'Europe/Berlin', workingHours: weekdays })
    ).body;
    const created = await api.http.post('/api/v1/approval-chains').set(admin).send(twoSteps(cal.id));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ version: 1, category: 'purchase', calendarId: cal.id });
    expect(created.body.steps).toHaveLength(2);
    const id = created.body.id as string;

    const edited = twoSteps(cal.id);
    edited.steps = edited.steps.slice(0, 1);
    const v2 = await api.http.put(`/api/v1/approval-chains/${id}`).set(admin).send(edited);
    expect(v2.status).toBe(200);
    expect(v2.body.version).toBe(2);
    expect(v2.body.steps).toHaveLength(1);
    expect((await api.http.get(`/api/v1/approval-chains/${id}`).set(admin)).body.version).toBe(2);
    const old = await api.http.get(`/api/v1/approval-chains/${id}?version=1`).set(admin);
    expect(old.body.steps).toHaveLength(2);
    const versions = await api.http.get(`/api/v1/approval-chains/${id}/versions`).set(admin);
    expect(versions.body.data.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const list = await api.http.get('/api/v1/approval-chains?category=PURCHASE').set(admin);
    expect(list.body.data.map((c: { id: string }) => c.id)).toEqual([id]);
    expect((await api.http.get(`/api/v1/approval-chains/${id}?version=9`).set(admin)).status).toBe(404);
  });

  it('one chain per category (409), semantic validation (400), unknown calendar (400)', async () => {
    await api.http.post('/api/v1/approval-chains').set(admin).send(twoSteps(null, 'access')).expect(201);
    const dup = await api.http.post('/api/v1/approval-chains').set(admin).send(twoSteps(null, 'ACCESS'));
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('category_taken');

    const bad = twoSteps(null, 'x');
    bad.steps[1] = { ...bad.steps[1]!, quorum: undefined } as never;
    bad.steps[0] = { ...bad.steps[0]!, remindAfter: '2 days', escalateTo: undefined } as never;
    const res = await api.http.post('/api/v1/approval-chains').set(admin).send(bad);
    expect(res.status).toBe(400);
    expect((res.body.errors as { path: string }[]).map((e) => e.path)).toEqual(
      expect.arrayContaining(['body.steps.0.remindAfter', 'body.steps.1.quorum']),
    );
    const noCal = await api.http.post('/api/v1/approval-chains').set(admin).send(twoSteps(randomUUID(), 'y'));
    expect(noCal.status).toBe(400);
    expect(noCal.body.errors).toEqual([{ path: 'body.calendarId', message: 'no such calendar' }]);
  });

  it('only admins write; requesters may not read; tokens are required; unknown ids are 404', async () => {
    expect((await api.http.post('/api/v1/approval-chains').set(requester).send(twoSteps(null, 'z'))).status).toBe(403);
    expect((await api.http.get('/api/v1/approval-chains').set(requester)).status).toBe(403);
    expect(
      (
        await api.http
          .post('/api/v1/calendars')
          .set(requester)
          .send({ name: 'c', timezone: 'UTC', workingHours: weekdays })
      ).status,
    ).toBe(403);
    expect((await api.http.get('/api/v1/calendars')).status).toBe(401);
    expect((await api.http.get('/api/v1/approval-chains')).status).toBe(401);
    expect((await api.http.get(`/api/v1/approval-chains/${randomUUID()}`).set(admin)).status).toBe(404);
    expect(
      (
        await api.http
          .put(`/api/v1/calendars/${randomUUID()}`)
          .set(admin)
          .send({ name: 'c', timezone: 'UTC', workingHours: weekdays })
      ).status,
    ).toBe(404);
    const approver = bearer(h.infra, approverId);
    expect((await api.http.get('/api/v1/approval-chains').set(approver)).status).toBe(200);
  });
});

import { randomUUID } from 'node:crypto';
import { createTicketApp } from '../ticket-app';
import { agent, bearer, buildUser, createHarness, type Harness } from '../../test/harness';

describe('people: users, departments and service clients', () => {
  let h: Harness;
  let api: ReturnType<typeof agent>;
  let admin: { Authorization: string };
  let requester: { Authorization: string };
  let requesterId: string;

  beforeAll(async () => {
    h = await createHarness();
    await h.reset();
    api = agent(createTicketApp(h.infra));
    admin = bearer(h.infra, (await buildUser({ username: 'admin-p', roles: ['requester', 'admin'] })).id);
    const r = await buildUser({ username: 'req-p' });
    requesterId = r.id;
    requester = bearer(h.infra, r.id);
  });

  afterAll(async () => {
    api.server.close();
    await h.close();
  });

  describe('departments', () => {
    it('admin creates, reads, lists and changes a department; everyone can read', async () => {
      const head = await buildUser({ username: 'head-it', roles: ['requester', 'approver'] });
      const created = await api.http
        .post('/api/v1/departments')
        .set(admin)
        .send({ name: 'IT 資訊部', headId: head.id });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'IT 資訊部', headId: head.id });
      const id = created.body.id as string;
      expect((await api.http.get(`/api/v1/departments/${id}`).set(requester)).body.name).toBe('IT 資訊部');
      const list = await api.http.get('/api/v1/departments').set(requester);
      expect(list.status).toBe(200);
      expect(list.body.data.map((d: { id: string }) => d.id)).toContain(id);
      expect(list.body).toHaveProperty('nextCursor');
      const patched = await api.http.patch(`/api/v1/departments/${id}`).set(admin).send({ headId: null });
      expect(patched.body.headId).toBeNull();
    });

    it('refuses duplicates (409), bad input (400), requesters (403), missing tokens (401) and unknown ids (404)', async () => {
      await api.http.post('/api/v1/departments').set(admin).send({ name: 'Finance' }).expect(201);
      expect((await api.http.post('/api/v1/departments').set(admin).send({ name: 'finance' })).status).toBe(409);
      const bad = await api.http.post('/api/v1/departments').set(admin).send({ name: '', headId: 'nope' });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.headId', 'body.name']);
      expect(
        (await api.http.post('/api/v1/departments').set(admin).send({ name: 'X', headId: randomUUID() })).status,
      ).toBe(400);
      expect((await api.http.post('/api/v1/departments').set(requester).send({ name: 'Mine' })).status).toBe(403);
      expect((await api.http.post('/api/v1/departments').send({ name: 'Anon' })).status).toBe(401);
      expect((await api.http.get('/api/v1/departments')).status).toBe(401);
      expect((await api.http.get(`/api/v1/departments/${randomUUID()}`).set(requester)).status).toBe(404);
      expect((await api.http.get('/api/v1/departments/not-a-uuid').set(requester)).status).toBe(400);
    });
  });

  describe('users', () => {
    it('admin creates a user who can then sign in; requester is always among the roles', async () => {
      const dept = (await api.http.post('/api/v1/departments').set(admin).send({ name: 'Ops' })).body;
      const manager = await buildUser({ username: 'mgr' });
      const res = await api.http
        .post('/api/v1/users')
        .set(admin)
        .send({
          username: 'wang.xiaoming',
          password: 'a-long-password-1',
          displayName: '王小明',
          email: 'wang@example.test',
          roles: ['approver'],
          departmentId: dept.id,
          managerId: manager.id,
        });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        username: 'wang.xiaoming',
        displayName: '王小明',
        roles: ['requester', 'approver'],
        departmentId: dept.id,
        managerId: manager.id,
        active: true,
      });
      expect(res.body).not.toHaveProperty('passwordHash');
      const login = await api.http
        .post('/api/v1/auth/token')
        .send({ grant_type: 'password', username: 'wang.xiaoming', password: 'a-long-password-1' });
      expect(login.status).toBe(200);
    });

    it('lists with filters and cursor pagination', async () => {
      for (let i = 0; i < 5; i++) await buildUser({ username: `page-${i}`, roles: ['requester', 'agent'] });
      const first = await api.http.get('/api/v1/users?role=agent&limit=2').set(requester);
      expect(first.status).toBe(200);
      expect(first.body.data).toHaveLength(2);
      const seen = new Set<string>(first.body.data.map((u: { id: string }) => u.id));
      let cursor = first.body.nextCursor as string | null;
      while (cursor) {
        const next = await api.http
          .get(`/api/v1/users?role=agent&limit=2&cursor=${encodeURIComponent(cursor)}`)
          .set(requester);
        for (const u of next.body.data as { id: string; roles: string[] }[]) {
          expect(seen.has(u.id)).toBe(false);
          expect(u.roles).toContain('agent');
          seen.add(u.id);
        }
        cursor = next.body.nextCursor;
      }
      expect(seen.size).toBe(5);
      const q = await api.http.get('/api/v1/users?q=page-3').set(requester);
      expect(q.body.data.map((u: { username: string }) => u.username)).toEqual(['page-3']);
      expect((await api.http.get('/api/v1/users?limit=500').set(requester)).status).toBe(400);
      expect((await api.http.get('/api/v1/users?cursor=garbage').set(requester)).status).toBe(400);
      expect((await api.http.get('/api/v1/users?role=pope').set(requester)).status).toBe(400);
    });

    it('admin changes roles, manager and disables an account; the token stops working', async () => {
      const u = await buildUser({ username: 'changeme' });
      const token = bearer(h.infra, u.id);
      const res = await api.http
        .patch(`/api/v1/users/${u.id}`)
        .set(admin)
        .send({ roles: ['agent'], displayName: 'Changed' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ roles: ['requester', 'agent'], displayName: 'Changed' });
      expect((await api.http.get('/api/v1/auth/me').set(token)).status).toBe(200);
      await api.http.patch(`/api/v1/users/${u.id}`).set(admin).send({ active: false }).expect(200);
      expect((await api.http.get('/api/v1/auth/me').set(token)).status).toBe(401);
    });

    it('refuses a management cycle and self-management', async () => {
      const a = await buildUser({ username: 'cyc-a' });
      const b = await buildUser({ username: 'cyc-b', managerId: a.id });
      const cycle = await api.http.patch(`/api/v1/users/${a.id}`).set(admin).send({ managerId: b.id });
      expect(cycle.status).toBe(400);
      expect(cycle.body.errors[0].message).toMatch(/cycle/);
      expect((await api.http.patch(`/api/v1/users/${a.id}`).set(admin).send({ managerId: a.id })).status).toBe(400);
    });

    it('refuses bad input, taken usernames, non-admins, missing tokens and unknown ids', async () => {
      const taken = await api.http
        .post('/api/v1/users')
        .set(admin)
        .send({ username: 'REQ-P', password: 'a-long-password-1', displayName: 'x' });
      expect(taken.status).toBe(409);
      expect(taken.body.code).toBe('username_taken');
      const bad = await api.http
        .post('/api/v1/users')
        .set(admin)
        .send({ username: 'a b', password: 'short', displayName: 'x', roles: ['king'], isAdmin: true });
      expect(bad.status).toBe(400);
      const paths = bad.body.errors.map((e: { path: string }) => e.path);
      expect(paths).toEqual(expect.arrayContaining(['body', 'body.username', 'body.password', 'body.roles.0']));
      expect(
        (
          await api.http
            .post('/api/v1/users')
            .set(admin)
            .send({ username: 'okname', password: 'a-long-password-1', displayName: 'x', departmentId: randomUUID() })
        ).status,
      ).toBe(400);
      expect((await api.http.patch(`/api/v1/users/${requesterId}`).set(admin).send({})).status).toBe(400);
      expect(
        (
          await api.http
            .patch(`/api/v1/users/${requesterId}`)
            .set(requester)
            .send({ roles: ['admin'] })
        ).status,
      ).toBe(403);
      expect(
        (
          await api.http
            .post('/api/v1/users')
            .set(requester)
            .send({ username: 'x1', password: 'a-long-password-1', displayName: 'x' })
        ).status,
      ).toBe(403);
      expect((await api.http.get('/api/v1/users')).status).toBe(401);
      expect((await api.http.get(`/api/v1/users/${randomUUID()}`).set(requester)).status).toBe(404);
      expect((await api.http.patch(`/api/v1/users/${randomUUID()}`).set(admin).send({ displayName: 'y' })).status).toBe(
        404,
      );
    });
  });

  describe('service clients', () => {
    it('admin creates a client whose secret works once shown; others are refused', async () => {
      const bot = await buildUser({ username: 'svc-bot', roles: ['requester', 'agent'] });
      const res = await api.http
        .post('/api/v1/service-clients')
        .set(admin)
        .send({ name: 'monitoring', userId: bot.id });
      expect(res.status).toBe(201);
      expect(res.body.clientId).toMatch(/^svc_/);
      const token = await api.http
        .post('/api/v1/auth/token')
        .type('form')
        .send({ grant_type: 'client_credentials', client_id: res.body.clientId, client_secret: res.body.clientSecret });
      expect(token.status).toBe(200);
      const list = await api.http.get('/api/v1/service-clients').set(admin);
      expect(list.body.data[0]).not.toHaveProperty('clientSecret');
      expect((await api.http.get('/api/v1/service-clients').set(requester)).status).toBe(403);
      expect(
        (await api.http.post('/api/v1/service-clients').set(admin).send({ name: 'x', userId: randomUUID() })).status,
      ).toBe(400);
      expect((await api.http.post('/api/v1/service-clients').send({ name: 'x', userId: bot.id })).status).toBe(401);
    });
  });
});

import { createKnowledgeApp } from './knowledge-app';
import { createTicketApp } from './ticket-app';
import { agent, bearer, buildUser, createHarness, type Harness } from '../test/harness';

describe.each([
  ['Ticket API', createTicketApp],
  ['Knowledge API', createKnowledgeApp],
])('%s platform routes and error handling', (title, create) => {
  let h: Harness;
  let api: ReturnType<typeof agent>;

  beforeAll(async () => {
    h = await createHarness();
    await h.reset();
    api = agent(create(h.infra));
  });

  afterAll(async () => {
    api.server.close();
    await h.close();
  });

  it('GET /healthz answers without a token', async () => {
    const res = await api.http.get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('GET /readyz checks the real dependencies', async () => {
    const res = await api.http.get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ready');
    for (const check of Object.values(res.body.checks as Record<string, { ok: boolean }>)) expect(check.ok).toBe(true);
    expect(Object.keys(res.body.checks)).toEqual(expect.arrayContaining(['db', 'redis', 'temporal', 'storage']));
  });

  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const res = await api.http.get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.info.title).toBe(title);
    expect(res.body.paths['/api/v1/auth/me'].get.security).toEqual([{ bearerAuth: [] }]);
    expect(res.body.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(res.body.components.schemas.Problem).toBeDefined();
  });

  it('serves Swagger UI and ReDoc with local assets only', async () => {
    const docs = await api.http.get('/docs');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('/docs/assets/swagger-ui-bundle.js');
    expect(docs.text).not.toMatch(/https?:\/\//);
    const bundle = await api.http.get('/docs/assets/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    expect(bundle.text.length).toBeGreaterThan(100_000);
    const init = await api.http.get('/docs/init.js');
    expect(init.text).toContain("url: '/openapi.json'");
    const redoc = await api.http.get('/redoc');
    expect(redoc.text).toContain('/redoc/redoc.standalone.js');
    expect(redoc.text).not.toMatch(/https?:\/\//);
    const redocJs = await api.http.get('/redoc/redoc.standalone.js');
    expect(redocJs.status).toBe(200);
    expect(redocJs.text.length).toBeGreaterThan(100_000);
    expect((await api.http.get('/docs/assets/..%2fpackage.json')).status).toBe(404);
  });

  it('answers an unknown route with a problem+json 404', async () => {
    const res = await api.http.get('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: '/problems/not_found', title: 'Not Found', status: 404, code: 'not_found' });
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
  });

  it('echoes a sane X-Request-Id and replaces a hostile one', async () => {
    expect((await api.http.get('/healthz').set('X-Request-Id', 'abc-123')).headers['x-request-id']).toBe('abc-123');
    expect((await api.http.get('/healthz').set('X-Request-Id', 'x'.repeat(500))).headers['x-request-id']).toMatch(
      /^[0-9a-f-]{36}$/,
    );
  });

  it('answers unknown query parameters with 400', async () => {
    const user = await buildUser();
    const res = await api.http.get('/api/v1/auth/me?verbose=1').set(bearer(h.infra, user.id));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors).toEqual([{ path: 'query', message: 'unknown parameter(s): verbose' }]);
  });
});

describe('Ticket API body handling', () => {
  let h: Harness;
  let api: ReturnType<typeof agent>;
  let admin: { Authorization: string };

  beforeAll(async () => {
    h = await createHarness();
    await h.reset();
    api = agent(createTicketApp(h.infra));
    admin = bearer(h.infra, (await buildUser({ roles: ['requester', 'admin'] })).id);
  });

  afterAll(async () => {
    api.server.close();
    await h.close();
  });

  const problem = (
    res: { status: number; headers: Record<string, string>; body: { code: string } },
    status: number,
    code: string,
  ) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe(code);
  };

  it('malformed JSON is a 400, not a 500', async () => {
    const res = await api.http
      .post('/api/v1/departments')
      .set(admin)
      .set('Content-Type', 'application/json')
      .send('{"name": "IT",');
    problem(res, 400, 'malformed_body');
  });

  it('a wrong content type is a 415', async () => {
    const res = await api.http.post('/api/v1/departments').set(admin).set('Content-Type', 'text/plain').send('name=IT');
    problem(res, 415, 'unsupported_media_type');
  });

  it('a body over the limit is a 413', async () => {
    const res = await api.http
      .post('/api/v1/departments')
      .set(admin)
      .send({ name: 'x'.repeat(h.infra.config.BODY_LIMIT + 10) });
    problem(res, 413, 'payload_too_large');
  });

  it('unknown fields are a 400 naming them', async () => {
    const res = await api.http.post('/api/v1/departments').set(admin).send({ name: 'IT', budget: 100 });
    problem(res, 400, 'validation_failed');
    expect(res.body.errors).toEqual([{ path: 'body', message: 'unknown field(s): budget' }]);
  });

  it('a JSON array or scalar instead of an object is a 400', async () => {
    problem(
      await api.http
        .post('/api/v1/departments')
        .set(admin)
        .send([{ name: 'IT' }]),
      400,
      'validation_failed',
    );
    problem(
      await api.http.post('/api/v1/departments').set(admin).set('Content-Type', 'application/json').send('"IT"'),
      400,
      'malformed_body',
    );
  });

  it('a missing body is a 400', async () => {
    problem(await api.http.post('/api/v1/departments').set(admin), 400, 'validation_failed');
  });

  it('a wrong method on a known path is a 405 with Allow', async () => {
    const res = await api.http.delete('/api/v1/departments').set(admin);
    problem(res, 405, 'method_not_allowed');
    expect(res.headers.allow).toContain('GET');
  });
});

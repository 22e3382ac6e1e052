import { createServer, type Server } from 'node:http';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { createTicketApp } from '../ticket-app';
import { createKnowledgeApp } from '../knowledge-app';
import { TokenService } from '../../infra/auth';
import { loadConfig } from '../../infra/config';
import { agent, bearer, buildUser, createHarness, type Harness } from '../../test/harness';
import { ServiceClient, User } from '../../models';
import { hashPassword } from '../../infra/passwords';

describe('authentication', () => {
  let h: Harness;
  let api: ReturnType<typeof agent>;
  let knowledge: ReturnType<typeof agent>;

  beforeAll(async () => {
    h = await createHarness();
    await h.reset();
    api = agent(createTicketApp(h.infra));
    knowledge = agent(createKnowledgeApp(h.infra));
  });

  afterAll(async () => {
    api.server.close();
    knowledge.server.close();
    await h.close();
  });

  const sign = (claims: object, key: string = h.infra.config.JWT_SECRET, options: jwt.SignOptions = {}) =>
    jwt.sign(claims, key, { algorithm: 'HS256', ...options });

  describe('token endpoint', () => {
    it('password grant (form-encoded) issues an access and a refresh token that work', async () => {
      const user = await buildUser({ username: 'alice' });
      const res = await api.http
        .post('/api/v1/auth/token')
        .type('form')
        .send({ grant_type: 'password', username: 'ALICE', password: 'test-password-123' });
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
      expect(typeof res.body.refresh_token).toBe('string');
      const claims = jwt.decode(res.body.access_token, { complete: true })!;
      expect(claims.header.alg).toBe('HS256');
      expect(claims.payload).toMatchObject({ sub: user.id, iss: 'ticket-knowledge', aud: 'ticket-knowledge-api' });

      const me = await api.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${res.body.access_token}`);
      expect(me.status).toBe(200);
      expect(me.body).toEqual({
        id: user.id,
        username: 'alice',
        displayName: 'alice',
        email: 'alice@example.test',
        roles: ['requester'],
        departmentId: null,
        managerId: null,
      });
      // The same token works on the Knowledge API.
      const kme = await knowledge.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${res.body.access_token}`);
      expect(kme.status).toBe(200);
      expect(kme.body.id).toBe(user.id);
    });

    it('password grant (JSON) refuses a wrong password with invalid_grant', async () => {
      await buildUser({ username: 'bob' });
      const res = await api.http
        .post('/api/v1/auth/token')
        .send({ grant_type: 'password', username: 'bob', password: 'nope-nope-nope' });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'invalid_grant' });
      const unknown = await api.http
        .post('/api/v1/auth/token')
        .send({ grant_type: 'password', username: 'nobody', password: 'x' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error).toBe('invalid_grant');
    });

    it('refuses a disabled account', async () => {
      await buildUser({ username: 'gone', active: false });
      const res = await api.http
        .post('/api/v1/auth/token')
        .send({ grant_type: 'password', username: 'gone', password: 'test-password-123' });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_grant');
    });

    it('answers invalid_request and unsupported_grant_type in OAuth2 form', async () => {
      const missing = await api.http.post('/api/v1/auth/token').send({ grant_type: 'password', username: 'x' });
      expect(missing.status).toBe(400);
      expect(missing.body.error).toBe('invalid_request');
      expect(missing.body.error_description).toMatch(/password/);
      const odd = await api.http.post('/api/v1/auth/token').send({ grant_type: 'implicit' });
      expect(odd.status).toBe(400);
      expect(odd.body.error).toBe('unsupported_grant_type');
      const none = await api.http.post('/api/v1/auth/token').send({});
      expect(none.body.error).toBe('invalid_request');
    });

    it('rotates refresh tokens and revokes the family when a used one comes back', async () => {
      await buildUser({ username: 'carol' });
      const login = await api.http
        .post('/api/v1/auth/token')
        .send({ grant_type: 'password', username: 'carol', password: 'test-password-123' });
      const first = login.body.refresh_token as string;
      const refreshed = await api.http
        .post('/api/v1/auth/token')
        .type('form')
        .send({ grant_type: 'refresh_token', refresh_token: first });
      expect(refreshed.status).toBe(200);
      const second = refreshed.body.refresh_token as string;
      expect(second).not.toBe(first);
      expect(
        (await api.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${refreshed.body.access_token}`)).status,
      ).toBe(200);

      const reuse = await api.http
        .post('/api/v1/auth/token')
        .send({ grant_type: 'refresh_token', refresh_token: first });
      expect(reuse.status).toBe(400);
      expect(reuse.body.error).toBe('invalid_grant');
      // The reuse revoked the newer token of the same family too.
      const after = await api.http
        .post('/api/v1/auth/token')
        .send({ grant_type: 'refresh_token', refresh_token: second });
      expect(after.status).toBe(400);
      const garbage = await api.http
        .post('/api/v1/auth/token')
        .send({ grant_type: 'refresh_token', refresh_token: 'made-up' });
      expect(garbage.body.error).toBe('invalid_grant');
    });

    it('client_credentials grant acts as the bound user; a wrong secret is invalid_client (401)', async () => {
      const bot = await buildUser({ username: 'bot', roles: ['requester', 'agent'] });
      await ServiceClient.create({
        clientId: 'svc_test',
        secretHash: await hashPassword('s3cret-s3cret'),
        name: 'test',
        userId: bot.id,
      });
      const ok = await api.http
        .post('/api/v1/auth/token')
        .send({ grant_type: 'client_credentials', client_id: 'svc_test', client_secret: 's3cret-s3cret' });
      expect(ok.status).toBe(200);
      expect(ok.body.refresh_token).toBeUndefined();
      const me = await api.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${ok.body.access_token}`);
      expect(me.body.roles).toEqual(['requester', 'agent']);
      const bad = await api.http
        .post('/api/v1/auth/token')
        .send({ grant_type: 'client_credentials', client_id: 'svc_test', client_secret: 'wrong' });
      expect(bad.status).toBe(401);
      expect(bad.body.error).toBe('invalid_client');
    });

    it('rate limits repeated failed logins in Redis with 429 and Retry-After', async () => {
      await buildUser({ username: 'dave' });
      const attempt = (password: string) =>
        api.http.post('/api/v1/auth/token').send({ grant_type: 'password', username: 'dave', password });
      for (let i = 0; i < h.infra.config.LOGIN_MAX_ATTEMPTS; i++)
        expect((await attempt('wrong-password')).status).toBe(400);
      const blocked = await attempt('test-password-123');
      expect(blocked.status).toBe(429);
      expect(blocked.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      expect(await h.infra.cache.redis.keys('rl:login-failed*')).not.toHaveLength(0);
    });
  });

  describe('bearer tokens are checked for algorithm, signature, expiry, issuer and audience', () => {
    let userId: string;
    beforeAll(async () => {
      userId = (await buildUser({ username: 'erin' })).id;
    });
    const now = () => Math.floor(Date.now() / 1000);
    const valid = () => ({ sub: userId, iss: 'ticket-knowledge', aud: 'ticket-knowledge-api', exp: now() + 60 });

    const expect401 = async (authorization: string | undefined) => {
      const req = api.http.get('/api/v1/auth/me');
      if (authorization !== undefined) req.set('Authorization', authorization);
      const res = await req;
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.body).toMatchObject({ status: 401, code: 'unauthorized' });
      return res;
    };

    it('accepts a valid token', async () => {
      const res = await api.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${sign(valid())}`);
      expect(res.status).toBe(200);
    });
    it('missing token', () => expect401(undefined));
    it('garbage token', () => expect401('Bearer not.a.jwt'));
    it('not a bearer scheme', () => expect401('Basic dXNlcjpwYXNz'));
    it('alg: none', () => {
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      const body = Buffer.from(JSON.stringify(valid())).toString('base64url');
      return expect401(`Bearer ${header}.${body}.`);
    });
    it('signed with another key', () =>
      expect401(`Bearer ${sign(valid(), 'another-secret-another-secret-another-secret')}`));
    it('HS512 with the right key (algorithm not pinned)', () =>
      expect401(`Bearer ${sign(valid(), h.infra.config.JWT_SECRET, { algorithm: 'HS512' })}`));
    it('expired', async () => {
      const res = await expect401(`Bearer ${sign({ ...valid(), exp: now() - 10 })}`);
      expect(res.body.detail).toMatch(/expired/);
    });
    it('without exp', () => {
      const { exp: _exp, ...claims } = valid();
      return expect401(`Bearer ${sign(claims)}`);
    });
    it('wrong issuer', () => expect401(`Bearer ${sign({ ...valid(), iss: 'someone-else' })}`));
    it('wrong audience', () => expect401(`Bearer ${sign({ ...valid(), aud: 'another-api' })}`));
    it('unknown subject', () => expect401(`Bearer ${sign({ ...valid(), sub: randomUUID() })}`));
    it('a disabled user', async () => {
      const user = await buildUser({ username: 'frank' });
      const header = bearer(h.infra, user.id).Authorization;
      await User.update({ active: false }, { where: { id: user.id } });
      await expect401(header);
    });
  });

  describe('authorisation', () => {
    it('a requester calling an admin route gets 403; an admin gets through', async () => {
      const requester = await buildUser({ username: 'gina' });
      const admin = await buildUser({ username: 'root', roles: ['requester', 'admin'] });
      const body = { username: 'newbie', password: 'long-enough-password', displayName: 'Newbie' };
      const denied = await api.http.post('/api/v1/users').set(bearer(h.infra, requester.id)).send(body);
      expect(denied.status).toBe(403);
      expect(denied.body.code).toBe('forbidden');
      const allowed = await api.http.post('/api/v1/users').set(bearer(h.infra, admin.id)).send(body);
      expect(allowed.status).toBe(201);
    });
  });

  describe('external identity provider (JWKS)', () => {
    let jwksServer: Server;
    let external: ReturnType<typeof agent>;
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = 'test-key-1';

    beforeAll(async () => {
      const jwk = { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' };
      jwksServer = createServer((_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: [jwk] }));
      });
      await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
      const port = (jwksServer.address() as { port: number }).port;
      const config = loadConfig({
        ...process.env,
        JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
        JWKS_ISSUER: 'https://idp.example.test/',
        JWKS_AUDIENCE: 'tk-external',
      });
      external = agent(createTicketApp({ ...h.infra, config, tokens: new TokenService(config) }));
    });

    afterAll(() => {
      external.server.close();
      jwksServer.close();
    });

    const externalToken = (claims: object = {}, options: jwt.SignOptions = {}) =>
      jwt.sign(
        {
          sub: 'ext-123',
          preferred_username: 'ext.user',
          name: 'External User',
          roles: ['approver', 'superuser'],
          ...claims,
        },
        privateKey,
        {
          algorithm: 'RS256',
          keyid: kid,
          issuer: 'https://idp.example.test/',
          audience: 'tk-external',
          expiresIn: 60,
          ...options,
        },
      );

    it('accepts a token signed by the provider and provisions the user with known roles', async () => {
      const res = await external.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${externalToken()}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        username: 'ext.user',
        displayName: 'External User',
        roles: ['requester', 'approver'],
      });
      const again = await external.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${externalToken()}`);
      expect(again.body.id).toBe(res.body.id);
    });

    it('refuses the provider issuer with a local audience, the public key used as an HMAC secret, and expiry', async () => {
      const wrongAud = externalToken({}, { audience: 'ticket-knowledge-api' });
      expect((await external.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${wrongAud}`)).status).toBe(401);
      const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const confused = jwt.sign(
        {
          sub: 'ext-123',
          iss: 'https://idp.example.test/',
          aud: 'tk-external',
          exp: Math.floor(Date.now() / 1000) + 60,
        },
        pem,
        {
          algorithm: 'HS256',
        } as jwt.SignOptions,
      );
      expect((await external.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${confused}`)).status).toBe(401);
      const expired = jwt.sign(
        {
          sub: 'ext-123',
          iss: 'https://idp.example.test/',
          aud: 'tk-external',
          exp: Math.floor(Date.now() / 1000) - 5,
        },
        privateKey,
        { algorithm: 'RS256', keyid: kid },
      );
      expect((await external.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${expired}`)).status).toBe(401);
    });
  });
});

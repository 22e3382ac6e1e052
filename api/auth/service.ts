import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { fn, col, where as sqlWhere } from 'sequelize';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../../domain/errors';
import { isRole, type Principal } from '../../domain/roles';
import type { AccessTokenClaims, TokenService } from '../../infra/auth';
import type { Cache } from '../../infra/cache';
import type { Config } from '../../infra/config';
import { dummyHash, hashPassword, verifyPassword } from '../../infra/passwords';
import { RefreshToken, ServiceClient, User } from '../../models';
import type { TokenRequest } from './schema';

/** An OAuth2 error answer of the token endpoint (RFC 6749 section 5.2). */
export class OAuthError extends Error {
  constructor(
    readonly status: 400 | 401,
    readonly error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type',
    readonly description: string,
  ) {
    super(description);
  }
}

export interface TokenAnswer {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token?: string;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export const toPrincipal = (user: User): Principal => ({
  id: user.id,
  username: user.username,
  roles: user.roles,
  departmentId: user.departmentId,
  managerId: user.managerId,
});

/**
 * The token endpoint's grants, refresh-token rotation, login rate limiting, and the principal behind a
 * verified access token.
 */
export class AuthService {
  private readonly failedLogins: RateLimiterRedis;
  private readonly tokenRequestsPerAddress: RateLimiterRedis;

  constructor(
    private readonly tokens: TokenService,
    cache: Cache,
    private readonly config: Pick<
      Config,
      'refreshTokenTtlMs' | 'LOGIN_MAX_ATTEMPTS' | 'loginWindowMs' | 'ADMIN_USERNAME' | 'ADMIN_PASSWORD'
    >,
  ) {
    const duration = Math.ceil(config.loginWindowMs / 1000);
    this.failedLogins = new RateLimiterRedis({
      storeClient: cache.redis,
      keyPrefix: 'rl:login-failed',
      points: config.LOGIN_MAX_ATTEMPTS,
      duration,
      blockDuration: duration,
    });
    // A looser bound per address across all usernames, against password spraying.
    this.tokenRequestsPerAddress = new RateLimiterRedis({
      storeClient: cache.redis,
      keyPrefix: 'rl:token-ip',
      points: config.LOGIN_MAX_ATTEMPTS * 10,
      duration,
    });
  }

  async grant(request: TokenRequest, address: string): Promise<TokenAnswer> {
    switch (request.grant_type) {
      case 'password':
        return this.passwordGrant(request.username, request.password, address);
      case 'refresh_token':
        return this.refreshGrant(request.refresh_token);
      case 'client_credentials':
        return this.clientCredentialsGrant(request.client_id, request.client_secret, address);
    }
  }

  private async passwordGrant(username: string, password: string, address: string): Promise<TokenAnswer> {
    const key = `${username.toLowerCase()}|${address}`;
    await this.guard(key, address);
    const user = await findByUsername(username);
    const ok = user?.passwordHash
      ? await verifyPassword(password, user.passwordHash)
      : (await verifyPassword(password, await dummyHash()), false);
    if (!user || !ok || !user.active) {
      await this.recordFailure(key);
      throw new OAuthError(400, 'invalid_grant', 'The username or password is wrong, or the account is disabled.');
    }
    await this.failedLogins.delete(key);
    return { ...this.access(user.id), refresh_token: await this.newRefreshToken(user.id, randomUUID()) };
  }

  private async clientCredentialsGrant(clientId: string, secret: string, address: string): Promise<TokenAnswer> {
    const key = `client:${clientId}|${address}`;
    await this.guard(key, address);
    const client = await ServiceClient.findOne({ where: { clientId } });
    const ok = client
      ? await verifyPassword(secret, client.secretHash)
      : (await verifyPassword(secret, await dummyHash()), false);
    const user = client && ok && client.active ? await User.findByPk(client.userId) : null;
    if (!user || !user.active) {
      await this.recordFailure(key);
      throw new OAuthError(401, 'invalid_client', 'Unknown client or wrong secret.');
    }
    await this.failedLogins.delete(key);
    // Machine clients re-authenticate with their secret; they get no refresh token (RFC 6749 4.4.3).
    return this.access(user.id);
  }

  /** Rotates a refresh token. Presenting an already rotated token revokes its whole family. */
  private async refreshGrant(token: string): Promise<TokenAnswer> {
    const stored = await RefreshToken.findOne({ where: { tokenHash: sha256(token) } });
    if (!stored) throw new OAuthError(400, 'invalid_grant', 'Unknown refresh token.');
    if (stored.revokedAt) {
      await RefreshToken.update({ revokedAt: new Date() }, { where: { familyId: stored.familyId, revokedAt: null } });
      throw new OAuthError(400, 'invalid_grant', 'The refresh token was already used; sign in again.');
    }
    if (stored.expiresAt.getTime() <= Date.now())
      throw new OAuthError(400, 'invalid_grant', 'The refresh token has expired.');
    // Conditional update: of two concurrent refreshes with the same token, exactly one wins.
    const [claimed] = await RefreshToken.update(
      { revokedAt: new Date() },
      { where: { id: stored.id, revokedAt: null } },
    );
    if (claimed !== 1) throw new OAuthError(400, 'invalid_grant', 'The refresh token was already used; sign in again.');
    const user = await User.findByPk(stored.userId);
    if (!user || !user.active) throw new OAuthError(400, 'invalid_grant', 'The account is disabled.');
    return { ...this.access(user.id), refresh_token: await this.newRefreshToken(user.id, stored.familyId) };
  }

  private access(userId: string): TokenAnswer {
    const { token, expiresIn } = this.tokens.issue(userId);
    return { access_token: token, token_type: 'Bearer', expires_in: expiresIn };
  }

  private async newRefreshToken(userId: string, familyId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await RefreshToken.create({
      userId,
      familyId,
      tokenHash: sha256(token),
      expiresAt: new Date(Date.now() + this.config.refreshTokenTtlMs),
      revokedAt: null,
    });
    return token;
  }

  private async guard(key: string, address: string): Promise<void> {
    try {
      await this.tokenRequestsPerAddress.consume(address);
    } catch (err) {
      throw tooMany(err);
    }
    const state = await this.failedLogins.get(key);
    if (state && state.consumedPoints >= this.config.LOGIN_MAX_ATTEMPTS) throw tooMany(state);
  }

  private async recordFailure(key: string): Promise<void> {
    await this.failedLogins.consume(key).catch((err: unknown) => {
      if (!(err instanceof RateLimiterRes)) throw err;
    });
  }

  /** The principal behind a verified token: the local user, or one provisioned for an external subject. */
  async principalFor(claims: AccessTokenClaims, source: 'local' | 'external'): Promise<Principal | undefined> {
    if (source === 'local') {
      const user = await User.findByPk(claims.sub);
      return user?.active ? toPrincipal(user) : undefined;
    }
    const externalId = `${claims.iss}|${claims.sub}`;
    const roles = ['requester', ...this.tokens.externalRoles(claims)].filter(isRole);
    const name = typeof claims.preferred_username === 'string' ? claims.preferred_username : externalId;
    const [user] = await User.findOrCreate({
      where: { externalId },
      defaults: {
        externalId,
        username: name,
        displayName: typeof claims.name === 'string' ? claims.name : name,
        email: typeof claims.email === 'string' ? claims.email : null,
        roles: [...new Set(roles)],
        passwordHash: null,
        departmentId: null,
        managerId: null,
      },
    });
    return user.active ? toPrincipal(user) : undefined;
  }

  /** Creates the admin user from configuration when no user of that name exists yet. */
  async ensureAdmin(): Promise<'created' | 'exists'> {
    const existing = await findByUsername(this.config.ADMIN_USERNAME);
    if (existing) return 'exists';
    await User.create({
      username: this.config.ADMIN_USERNAME,
      passwordHash: await hashPassword(this.config.ADMIN_PASSWORD),
      displayName: 'Administrator',
      email: null,
      roles: ['admin', 'requester'],
      departmentId: null,
      managerId: null,
      externalId: null,
    });
    return 'created';
  }
}

function tooMany(err: unknown): AppError {
  const seconds = err instanceof RateLimiterRes ? Math.max(1, Math.ceil(err.msBeforeNext / 1000)) : 60;
  return new AppError(429, 'rate_limited', `Too many attempts; try again in ${seconds} s.`, undefined, {
    'Retry-After': String(seconds),
  });
}

/** Usernames are unique regardless of case (index on `lower(username)`). */
export const findByUsername = (username: string) =>
  User.findOne({ where: sqlWhere(fn('lower', col('username')), username.toLowerCase()) });

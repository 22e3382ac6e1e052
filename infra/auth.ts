import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { JwksClient } from 'jwks-rsa';
import type { Config } from './config';

type AuthConfig = Pick<
  Config,
  | 'JWT_SECRET'
  | 'JWT_ISSUER'
  | 'JWT_AUDIENCE'
  | 'accessTokenTtlMs'
  | 'JWKS_URL'
  | 'JWKS_ISSUER'
  | 'JWKS_AUDIENCE'
  | 'JWKS_ALGORITHMS'
  | 'JWKS_ROLES_CLAIM'
>;

/** The only algorithm accepted on tokens this service signs. */
export const LOCAL_ALGORITHM = 'HS256';

export interface AccessTokenClaims {
  sub: string;
  iss: string;
  aud: string | string[];
  exp: number;
  iat?: number;
  jti?: string;
  [claim: string]: unknown;
}

/** Who signed a verified token. */
export type TokenSource = 'local' | 'external';

/**
 * Issues and checks access tokens. Local tokens are HS256 with the configured key; tokens of an
 * external identity provider are checked against its JWKS. The verification key is chosen by the
 * token's issuer, and the algorithm in the header must be the one that issuer uses, so an RS256
 * public key can never be abused as an HMAC secret.
 */
export class TokenService {
  private readonly jwks: JwksClient | undefined;

  constructor(private readonly config: AuthConfig) {
    this.jwks = config.JWKS_URL
      ? new JwksClient({
          jwksUri: config.JWKS_URL,
          cache: true,
          cacheMaxAge: 10 * 60_000,
          rateLimit: true,
          timeout: 5000,
        })
      : undefined;
  }

  /** Signs an access token for a user; returns it with its lifetime in seconds. */
  issue(userId: string): { token: string; expiresIn: number } {
    const expiresIn = Math.max(1, Math.round(this.config.accessTokenTtlMs / 1000));
    const token = jwt.sign({}, this.config.JWT_SECRET, {
      algorithm: LOCAL_ALGORITHM,
      subject: userId,
      issuer: this.config.JWT_ISSUER,
      audience: this.config.JWT_AUDIENCE,
      expiresIn,
      jwtid: randomUUID(),
    });
    return { token, expiresIn };
  }

  /** Which source issued a token with this `iss`, if any we trust. */
  sourceOf(iss: unknown): TokenSource | undefined {
    if (iss === this.config.JWT_ISSUER) return 'local';
    if (this.jwks && iss === this.config.JWKS_ISSUER) return 'external';
    return undefined;
  }

  /** The audience a token from `source` must carry. */
  audienceOf(source: TokenSource): string {
    return source === 'local' ? this.config.JWT_AUDIENCE : this.config.JWKS_AUDIENCE!;
  }

  /** Options for `koa-jwt`: every accepted algorithm, issuer and audience, and the key chooser. */
  koaJwtOptions() {
    const external = this.jwks !== undefined;
    return {
      secret: (header: { alg?: string; kid?: string }, payload: { iss?: unknown }) => this.keyFor(header, payload),
      algorithms: external ? [LOCAL_ALGORITHM, ...this.config.JWKS_ALGORITHMS] : [LOCAL_ALGORITHM],
      issuer: external ? [this.config.JWT_ISSUER, this.config.JWKS_ISSUER!] : this.config.JWT_ISSUER,
      audience: external ? [this.config.JWT_AUDIENCE, this.config.JWKS_AUDIENCE!] : this.config.JWT_AUDIENCE,
    };
  }

  private async keyFor(header: { alg?: string; kid?: string }, payload: { iss?: unknown }): Promise<string> {
    const source = this.sourceOf(payload?.iss);
    if (source === 'local') {
      if (header.alg !== LOCAL_ALGORITHM) throw new Error(`algorithm ${String(header.alg)} is not accepted`);
      return this.config.JWT_SECRET;
    }
    if (source === 'external' && this.jwks) {
      if (!header.alg || !this.config.JWKS_ALGORITHMS.includes(header.alg)) {
        throw new Error(`algorithm ${String(header.alg)} is not accepted`);
      }
      const key = await this.jwks.getSigningKey(header.kid);
      return key.getPublicKey();
    }
    throw new Error('unknown issuer');
  }

  /** Role names carried by an external token, from the configured claim. */
  externalRoles(claims: AccessTokenClaims): string[] {
    const value = claims[this.config.JWKS_ROLES_CLAIM];
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  }
}

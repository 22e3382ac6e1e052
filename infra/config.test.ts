import { CONFIG_DOCS, loadConfig } from './config';

describe('loadConfig', () => {
  it('has working defaults for the native stack', () => {
    const cfg = loadConfig({});
    expect(cfg.TICKET_API_PORT).toBe(8000);
    expect(cfg.KNOWLEDGE_API_PORT).toBe(8001);
    expect(cfg.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(cfg.accessTokenTtlMs).toBe(15 * 60_000);
    expect(cfg.BODY_LIMIT).toBe(1024 * 1024);
  });

  it('names every bad variable', () => {
    expect(() => loadConfig({ TICKET_API_PORT: 'eighty', ACCESS_TOKEN_TTL: '15 minutes' })).toThrow(
      /TICKET_API_PORT="eighty".*\n.*ACCESS_TOKEN_TTL="15 minutes"/,
    );
  });

  it('refuses development secrets in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: must be set in production/);
    expect(() =>
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), ADMIN_PASSWORD: 'a-real-password' }),
    ).not.toThrow();
  });

  it('requires issuer and audience with a JWKS URL', () => {
    expect(() => loadConfig({ JWKS_URL: 'https://idp.example/jwks' })).toThrow(/JWKS_ISSUER and JWKS_AUDIENCE/);
  });

  it('documents every variable', () => {
    expect(CONFIG_DOCS.map((d) => d.name)).toContain('DATABASE_URL');
    for (const doc of CONFIG_DOCS) expect(doc.description.length).toBeGreaterThan(5);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { CONFIG_DOCS, loadConfig } from '../infra/config';

/**
 * docker-compose.yml and the Dockerfile are not run in CI (no Docker engine), so this keeps them from
 * drifting away from the code: variable names, ports, health checks, dependencies and the image.
 */
const ROOT = path.resolve(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

type Healthcheck = { test: string | string[] };
type Service = {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | number | { published: string | number; target: number })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: Healthcheck;
  volumes?: string[];
};
type Compose = { services: Record<string, Service>; volumes?: Record<string, unknown> };

const compose = YAML.parse(read('docker-compose.yml'), { merge: true }) as Compose;
const services = compose.services;
const dockerfile = read('Dockerfile');

const APP_SERVICES = ['setup', 'ticket-api', 'knowledge-api', 'worker'] as const;
const INFRA_SERVICES = [
  'postgres',
  'redis',
  'temporal',
  'temporal-search-attributes',
  'temporal-ui',
  'kafka',
  'elasticsearch',
  'minio',
] as const;

function envOf(svc: Service): Record<string, string> {
  const env = svc.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((e) => {
        const i = e.indexOf('=');
        return i < 0 ? [e, ''] : [e.slice(0, i), e.slice(i + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v == null ? '' : String(v)]));
}

/** `${NAME:-default}` / `${NAME-default}` / `${NAME}` as Compose would resolve them with nothing set. */
function interpolateDefaults(value: string): string {
  return value
    .replace(/\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-([^}]*))?\}/g, (_m, def: string | undefined) => def ?? '')
    .replace(/\$\$/g, '$');
}

function publishedPorts(svc: Service): string[] {
  return (svc.ports ?? []).map((p) =>
    typeof p === 'object' ? `${p.published}:${p.target}` : String(p).replace(/^(\d+\.\d+\.\d+\.\d+:)/, ''),
  );
}

function dependsOn(svc: Service): Record<string, string | undefined> {
  const d = svc.depends_on ?? [];
  return Array.isArray(d)
    ? Object.fromEntries(d.map((n) => [n, undefined]))
    : Object.fromEntries(Object.entries(d).map(([n, v]) => [n, v?.condition]));
}

const testText = (h: Healthcheck | undefined) => (h ? (Array.isArray(h.test) ? h.test.join(' ') : h.test) : '');

describe('docker-compose.yml', () => {
  it('defines the whole system', () => {
    expect(Object.keys(services).sort()).toEqual([...INFRA_SERVICES, ...APP_SERVICES].sort());
  });

  it('uses the official images', () => {
    expect(services.postgres!.image).toMatch(/^postgres:15(\.|$)/);
    expect(services.redis!.image).toMatch(/^redis:7(\.|$)/);
    expect(services.temporal!.image).toMatch(/^temporalio\/auto-setup:/);
    expect(services['temporal-search-attributes']!.image).toMatch(/^temporalio\/admin-tools:/);
    expect(services['temporal-ui']!.image).toMatch(/^temporalio\/ui:/);
    expect(services.kafka!.image).toMatch(/^apache\/kafka:(3\.9|4\.)/);
    expect(services.elasticsearch!.image).toMatch(/^docker\.elastic\.co\/elasticsearch\/elasticsearch:/);
    expect(services.minio!.image).toMatch(/^minio\/minio(:|$)/);
  });

  it('runs Elasticsearch with the major version of the @elastic/elasticsearch client', () => {
    // a server one major below the client rejects its `compatible-with=N` media type
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    const clientMajor = /\d+/.exec(pkg.dependencies['@elastic/elasticsearch']!)![0];
    const serverMajor = /:(\d+)\./.exec(services.elasticsearch!.image!)![1];
    expect(serverMajor).toBe(clientMajor);
  });

  it('publishes the same host ports as the native stack', () => {
    const expected: Record<string, string[]> = {
      postgres: ['5432:5432'],
      redis: ['6379:6379'],
      temporal: ['7233:7233'],
      'temporal-ui': ['8233:8080'],
      elasticsearch: ['9200:9200'],
      minio: ['9000:9000', '9001:9001'],
      'ticket-api': ['8000:8000'],
      'knowledge-api': ['8001:8001'],
    };
    for (const [name, ports] of Object.entries(expected)) {
      expect({ name, ports: publishedPorts(services[name]!) }).toEqual({ name, ports });
    }
    expect(publishedPorts(services.kafka!).map((p) => p.split(':')[0])).toEqual(['9092']);
  });

  it('gives the app services only variables that infra/config.ts defines', () => {
    const known = new Set(CONFIG_DOCS.map((d) => d.name));
    for (const name of APP_SERVICES) {
      const env = envOf(services[name]!);
      expect(Object.keys(env).length).toBeGreaterThan(0);
      const unknown = Object.keys(env).filter((k) => !known.has(k));
      expect({ service: name, unknown }).toEqual({ service: name, unknown: [] });
    }
  });

  it('points the app services at the service hostnames', () => {
    for (const name of APP_SERVICES) {
      const env = envOf(services[name]!);
      expect(env).toMatchObject({
        NODE_ENV: 'production',
        HOST: '0.0.0.0',
        DATABASE_URL: 'postgres://tk:tk@postgres:5432/tk',
        REDIS_URL: 'redis://redis:6379/0',
        KAFKA_BROKERS: 'kafka:9092',
        SEARCH_URL: 'http://elasticsearch:9200',
        S3_ENDPOINT: 'minio',
        S3_PORT: '9000',
        TEMPORAL_ADDRESS: 'temporal:7233',
      });
      expect(env.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:-.+\}$/);
      expect(env.ADMIN_PASSWORD).toMatch(/^\$\{ADMIN_PASSWORD:-.+\}$/);
    }
  });

  it('has defaults that pass configuration validation in production mode', () => {
    // NODE_ENV=production refuses the built-in development secrets: the compose defaults must differ
    for (const name of APP_SERVICES) {
      const env = Object.fromEntries(
        Object.entries(envOf(services[name]!)).map(([k, v]) => [k, interpolateDefaults(v)]),
      );
      const cfg = loadConfig(env);
      expect(cfg.NODE_ENV).toBe('production');
      expect(cfg.TICKET_API_PORT).toBe(8000);
      expect(cfg.KNOWLEDGE_API_PORT).toBe(8001);
    }
  });

  it('gives MinIO the same credentials the app uses', () => {
    const minio = envOf(services.minio!);
    const app = envOf(services['ticket-api']!);
    expect(interpolateDefaults(minio.MINIO_ROOT_USER!)).toBe(interpolateDefaults(app.S3_ACCESS_KEY!));
    expect(interpolateDefaults(minio.MINIO_ROOT_PASSWORD!)).toBe(interpolateDefaults(app.S3_SECRET_KEY!));
    const defaults = Object.fromEntries(CONFIG_DOCS.map((d) => [d.name, d.default]));
    expect(interpolateDefaults(app.S3_ACCESS_KEY!)).toBe(defaults.S3_ACCESS_KEY);
    expect(interpolateDefaults(app.S3_SECRET_KEY!)).toBe(defaults.S3_SECRET_KEY);
  });

  it('builds the app services from the Dockerfile and runs the right entry points', () => {
    const commands: Record<(typeof APP_SERVICES)[number], string> = {
      setup: 'node dist/scripts/setup.js setup',
      'ticket-api': 'node dist/scripts/ticket-api.js',
      'knowledge-api': 'node dist/scripts/knowledge-api.js',
      worker: 'node dist/scripts/worker.js',
    };
    for (const name of APP_SERVICES) {
      const svc = services[name]!;
      const build = typeof svc.build === 'string' ? { context: svc.build } : svc.build;
      expect(build).toBeDefined();
      expect(path.resolve(ROOT, build!.context ?? '.')).toBe(ROOT);
      expect(build!.dockerfile ?? 'Dockerfile').toBe('Dockerfile');
      const cmd = Array.isArray(svc.command) ? svc.command.join(' ') : svc.command;
      expect(cmd).toBe(commands[name]);
      const entry = cmd!
        .split(' ')[1]!
        .replace(/^dist\//, '')
        .replace(/\.js$/, '.ts');
      expect(fs.existsSync(path.join(ROOT, entry))).toBe(true);
    }
  });

  it('health-checks the APIs on /healthz of their own port', () => {
    for (const [name, port] of [
      ['ticket-api', 8000],
      ['knowledge-api', 8001],
    ] as const) {
      const test = testText(services[name]!.healthcheck);
      expect(test).toContain(`:${port}/healthz`);
      expect(test).not.toMatch(/\bcurl\b|\bwget\b/); // the slim image has neither
    }
  });

  it('health-checks every long-running dependency', () => {
    for (const name of ['postgres', 'redis', 'temporal', 'kafka', 'elasticsearch', 'minio']) {
      expect({ name, test: testText(services[name]!.healthcheck) }).toEqual({
        name,
        test: expect.stringMatching(/\S/),
      });
    }
    expect(testText(services.elasticsearch!.healthcheck)).toContain('_cluster/health');
  });

  it('only depends on services that exist, with conditions they can meet', () => {
    const oneShot = new Set(['setup', 'temporal-search-attributes']);
    for (const [name, svc] of Object.entries(services)) {
      for (const [target, condition] of Object.entries(dependsOn(svc))) {
        expect({ name, target, exists: target in services }).toEqual({ name, target, exists: true });
        if (condition === 'service_healthy') expect(services[target]!.healthcheck).toBeDefined();
        if (condition === 'service_completed_successfully') expect(oneShot.has(target)).toBe(true);
      }
    }
    const setupDeps = dependsOn(services.setup!);
    for (const dep of ['postgres', 'kafka', 'minio']) expect(setupDeps[dep]).toBe('service_healthy');
    for (const name of ['ticket-api', 'knowledge-api', 'worker']) {
      const deps = dependsOn(services[name]!);
      expect(deps.setup).toBe('service_completed_successfully');
      expect(deps['temporal-search-attributes']).toBe('service_completed_successfully');
    }
  });

  it('registers the search attributes that scripts/stack.sh registers', () => {
    const m = /TEMPORAL_SEARCH_ATTRIBUTES=\(([^)]*)\)/.exec(read('scripts/stack.sh'));
    expect(m).not.toBeNull();
    const expected = m![1]!.split(/\s+/).filter(Boolean).sort();
    expect(expected.length).toBeGreaterThan(0);
    const sa = services['temporal-search-attributes']!;
    const script = [sa.entrypoint, sa.command].flat().join('\n');
    const found = [...script.matchAll(/\b([A-Z][A-Za-z]+=(?:Keyword|KeywordList|Text|Int|Double|Bool|Datetime))\b/g)]
      .map((x) => x[1]!)
      .sort();
    expect(found).toEqual(expected);
    expect(script).toMatch(/\baddr=temporal:7233\b/);
    expect(script).toMatch(/search-attribute create --address \$\$addr\b/);
    expect(script).toMatch(/already exists/);
  });

  it('keeps data in named volumes', () => {
    for (const name of ['postgres', 'redis', 'kafka', 'elasticsearch', 'minio']) {
      const vols = services[name]!.volumes ?? [];
      const named = vols.map((v) => v.split(':')[0]!).filter((v) => compose.volumes && v in compose.volumes);
      expect({ name, named: named.length }).toEqual({ name, named: 1 });
    }
  });
});

describe('Dockerfile', () => {
  const stages = dockerfile.split(/^FROM\s+/m).slice(1);
  const runtime = stages[stages.length - 1]!;

  it('builds on node:20-bookworm-slim in two stages', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) expect(s).toMatch(/^node:20-bookworm-slim\b/);
    expect(stages[0]).toMatch(/npm ci\b/);
    expect(stages[0]).toMatch(/npm run build\b/);
    expect(stages[0]).toMatch(/npm prune --omit=dev\b/);
  });

  it('runs the runtime stage as a non-root user', () => {
    const users = [...runtime.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]!);
    expect(users.length).toBeGreaterThan(0);
    expect(users[users.length - 1]).not.toMatch(/^(root|0)(:|$)/);
    expect(users[users.length - 1]).toBe('node');
  });

  it('ships only dist, production node_modules and package.json', () => {
    const copies = [...runtime.matchAll(/^COPY\s+(.+)$/gm)].map((m) => m[1]!);
    expect(copies.every((c) => c.includes('--from='))).toBe(true);
    const sources = copies.map((c) =>
      c
        .split(/\s+/)
        .filter((t) => !t.startsWith('--'))[0]!
        .replace(/^\/app\//, ''),
    );
    expect(sources.sort()).toEqual(['dist', 'node_modules', 'package.json']);
    expect(runtime).toMatch(/NODE_ENV=production/);
    expect(runtime).toMatch(/HOST=0\.0\.0\.0/);
    expect(dockerfile).not.toMatch(/^HEALTHCHECK/m);
  });

  it('is built from a context without local state', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const entry of ['node_modules', 'dist', '.stack', '.git']) expect(ignored).toContain(entry);
  });
});

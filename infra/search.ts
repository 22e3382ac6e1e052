import { Client, HttpConnection } from '@elastic/elasticsearch';
import type { Config } from './config';
import type { ReadinessCheck } from './readiness';

type RequestParams = Parameters<HttpConnection['request']>[0];
type RequestOptions = Parameters<HttpConnection['request']>[1];

const VENDOR_JSON = /application\/vnd\.elasticsearch\+json;\s*compatible-with=\d+/;
const VENDOR_NDJSON = /application\/vnd\.elasticsearch\+x-ndjson;\s*compatible-with=\d+/;

/**
 * `@elastic/elasticsearch` 9 refuses servers that are not Elasticsearch: it sends vendor media types that
 * OpenSearch answers with 406, and it checks the `x-elastic-product` response header. This connection asks
 * the node what it is (`GET /`) before its first request and, only when the answer says OpenSearch, sends
 * plain JSON media types and marks responses as coming from a compatible product. Against Elasticsearch
 * it changes nothing, so the same code runs with `docker-compose.yml`'s Elasticsearch.
 */
export class OpenSearchCompatibleConnection extends HttpConnection {
  private flavor: Promise<'elasticsearch' | 'opensearch'> | undefined;

  private detect(options: RequestOptions): Promise<'elasticsearch' | 'opensearch'> {
    this.flavor ??= super
      .request({ method: 'GET', path: '/', headers: { accept: 'application/json' } }, { ...options, timeout: 5000 })
      .then((res) => {
        const info = JSON.parse(res.body.toString()) as { version?: { distribution?: string } };
        return info.version?.distribution === 'opensearch' ? ('opensearch' as const) : ('elasticsearch' as const);
      })
      .catch((err: unknown) => {
        this.flavor = undefined; // not reachable yet: ask again next time
        throw err;
      });
    return this.flavor;
  }

  // @ts-expect-error -- one implementation for both overloads of the base class
  override async request(params: RequestParams, options: RequestOptions) {
    if ((await this.detect(options)) === 'elasticsearch') return super.request(params, options);
    const headers = { ...params.headers };
    for (const key of ['accept', 'content-type']) {
      const value = headers[key];
      if (typeof value === 'string') {
        headers[key] = value.replace(VENDOR_NDJSON, 'application/x-ndjson').replace(VENDOR_JSON, 'application/json');
      }
    }
    const res = await super.request({ ...params, headers }, options);
    res.headers['x-elastic-product'] = 'Elasticsearch';
    return res;
  }
}

/** The search engine client plus index naming. */
export class SearchEngine implements ReadinessCheck {
  readonly name = 'search';
  readonly client: Client;
  readonly prefix: string;

  constructor(config: Pick<Config, 'SEARCH_URL' | 'SEARCH_USERNAME' | 'SEARCH_PASSWORD' | 'SEARCH_INDEX_PREFIX'>) {
    this.prefix = config.SEARCH_INDEX_PREFIX;
    this.client = new Client({
      node: config.SEARCH_URL,
      Connection: OpenSearchCompatibleConnection as unknown as typeof HttpConnection,
      auth:
        config.SEARCH_USERNAME && config.SEARCH_PASSWORD
          ? { username: config.SEARCH_USERNAME, password: config.SEARCH_PASSWORD }
          : undefined,
      requestTimeout: 30_000,
      maxRetries: 2,
    });
  }

  /** Full name of an index or alias: `<prefix>-<name>`. */
  index(name: string): string {
    return `${this.prefix}-${name}`;
  }

  async ready(): Promise<void> {
    const health = await this.client.cluster.health({ timeout: '2s' });
    if (health.status === 'red') throw new Error('cluster health is red');
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

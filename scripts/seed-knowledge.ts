/**
 * Demo knowledge base through the running APIs (`npm run up` first): categories and a few dozen articles and
 * troubleshooting guides in Traditional Chinese and English (printers, VPN, Wi-Fi, passwords, Outlook,
 * Teams, ERP and Windows error codes), written and published as the admin, so search and suggestions have
 * something to find. Content lives in `scripts/data/knowledge-seed.json`. Safe to run again: categories and
 * documents whose title already exists are skipped.
 *
 * The token comes from the Ticket API (`TICKET_API_URL`, port 8000) as `admin` / `ADMIN_PASSWORD`; documents
 * go to the Knowledge API (`KNOWLEDGE_API_URL`, port 8001). Publishing runs through the document lifecycle
 * workflow, so a worker must be running.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const TICKET = process.env.TICKET_API_URL ?? `http://127.0.0.1:${process.env.TICKET_API_PORT ?? '8000'}`;
const KNOWLEDGE = process.env.KNOWLEDGE_API_URL ?? `http://127.0.0.1:${process.env.KNOWLEDGE_API_PORT ?? '8001'}`;
const ADMIN = process.env.ADMIN_USERNAME ?? 'admin';
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD ?? 'admin-dev-password';

type Json = Record<string, unknown>;

/** One entry of the data file: the document as `POST /documents` takes it, with its category's key. */
interface SeedDocument {
  type: 'article' | 'guide';
  category: string;
  language: string;
  title: string;
  summary: string;
  body: string;
  tags: string[];
  symptoms?: string[];
  errorCodes?: string[];
  causes?: string[];
  steps?: string[];
}
interface SeedFile {
  /** Category key -> display name. */
  categories: Record<string, string>;
  documents: SeedDocument[];
}

async function call(base: string, method: string, route: string, token: string | null, body?: unknown) {
  const res = await fetch(`${base}/api/v1${route}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = (text ? JSON.parse(text) : {}) as Json;
  if (res.status >= 300) throw new Error(`${method} ${route} -> ${res.status}: ${text}`);
  return json;
}

/** Every item of a paged list endpoint. */
async function all(token: string, route: string): Promise<Json[]> {
  const items: Json[] = [];
  let cursor: string | null = null;
  do {
    const sep = route.includes('?') ? '&' : '?';
    const q: string = `${route}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await call(KNOWLEDGE, 'GET', q, token);
    items.push(...((page.data as Json[]) ?? []));
    cursor = (page.nextCursor as string | null) ?? null;
  } while (cursor);
  return items;
}

async function main(): Promise<void> {
  const seed = JSON.parse(readFileSync(path.join(__dirname, 'data', 'knowledge-seed.json'), 'utf8')) as SeedFile;
  const login = await call(TICKET, 'POST', '/auth/token', null, {
    grant_type: 'password',
    username: ADMIN,
    password: ADMIN_PASSWORD,
  });
  const token = login.access_token as string;

  const categories = new Map(
    (await all(token, '/categories')).filter((c) => !c.parentId).map((c) => [c.name as string, c.id as string]),
  );
  const categoryId = async (key: string): Promise<string> => {
    const name = seed.categories[key];
    if (!name) throw new Error(`unknown category key "${key}" in the seed file`);
    let id = categories.get(name);
    if (!id) {
      id = (await call(KNOWLEDGE, 'POST', '/categories', token, { name })).id as string;
      categories.set(name, id);
    }
    return id;
  };

  const existing = new Set((await all(token, '/documents')).map((d) => d.title as string));
  let created = 0;
  let skipped = 0;
  for (const { category, ...doc } of seed.documents) {
    if (existing.has(doc.title)) {
      skipped += 1;
      continue;
    }
    const written = await call(KNOWLEDGE, 'POST', '/documents', token, {
      ...doc,
      categoryId: await categoryId(category),
    });
    const published = await call(KNOWLEDGE, 'POST', `/documents/${written.id as string}/publish`, token, {});
    if (published.status !== 'published') throw new Error(`"${doc.title}" is ${String(published.status)}`);
    created += 1;
    console.log(`published ${doc.type.padEnd(7)} ${doc.title}`);
  }
  console.log(`knowledge seed: ${created} published, ${skipped} already there, ${categories.size} categories`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

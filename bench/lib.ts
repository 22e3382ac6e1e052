/**
 * What the benchmarks share: command-line options, a bounded-concurrency runner with latency percentiles, a
 * description of the machine, and where results are written.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);

/** `--name value` from the command line as a number, or `def`. */
export function numberOption(name: string, def: number): number {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return def;
  const value = Number(args[i + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);
  return value;
}

/** `--name` present on the command line. */
export const flag = (name: string): boolean => args.includes(`--${name}`);

export interface Timing {
  count: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
}

/** Percentiles (ms) of a list of latencies, nearest-rank. */
export function summarize(latencies: number[], seconds: number): Timing {
  const sorted = [...latencies].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  return {
    count: sorted.length,
    seconds,
    perSecond: sorted.length / seconds,
    p50: pct(50),
    p90: pct(90),
    p95: pct(95),
    p99: pct(99),
  };
}

/** Runs `task(i)` for i < count with at most `concurrency` in flight: each call's latency (ms) and the wall time (s). */
export async function runPool(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const i = next++;
        const t0 = performance.now();
        await task(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

/** {@link runPool} summarized. */
export async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<Timing> {
  const { latencies, seconds } = await runPool(count, concurrency, task);
  return summarize(latencies, seconds);
}

export const machine = (): string =>
  `${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`;

/** Writes a run's figures to `bench/results/<name>-<time>.json` and returns the path. */
export function saveResult(name: string, result: unknown): string {
  const dir = path.join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2));
  return file;
}

/** JSON over HTTP; anything but 2xx throws with the answer. */
export async function httpJson(
  method: string,
  url: string,
  token: string | null,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Something the process depends on that can say whether it is reachable right now. */
export interface ReadinessCheck {
  /** Short name shown in `/readyz` (`db`, `search`, ...). */
  readonly name: string;
  /** Resolves when the dependency answers; rejects with the reason otherwise. */
  ready(): Promise<void>;
}

export interface ReadinessReport {
  ok: boolean;
  checks: Record<string, { ok: boolean; ms: number; error?: string }>;
}

/** Runs every check in parallel, each bounded by `timeoutMs`. */
export async function checkReadiness(checks: ReadinessCheck[], timeoutMs = 2000): Promise<ReadinessReport> {
  const entries = await Promise.all(
    checks.map(async (check) => {
      const started = Date.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          check.ready(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return [check.name, { ok: true, ms: Date.now() - started }] as const;
      } catch (err) {
        return [check.name, { ok: false, ms: Date.now() - started, error: (err as Error).message }] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { ok: entries.every(([, r]) => r.ok), checks: Object.fromEntries(entries) as ReadinessReport['checks'] };
}

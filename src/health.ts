/** A named readiness/liveness check that `/healthz` and `egress doctor` run. */
export interface HealthCheck {
  name: string;
  check(): Promise<{ ok: boolean; detail: string }>;
}

/** Runs checks concurrently, each bounded by a timeout so a hung dependency shows as failed, not as a hung probe. */
export async function runHealthChecks(
  checks: readonly HealthCheck[],
  timeoutMs = 2_000,
): Promise<{ ok: boolean; checks: Array<{ name: string; ok: boolean; detail: string }> }> {
  const results = await Promise.all(
    checks.map(async (c) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<{ ok: boolean; detail: string }>((resolve) => {
        timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
      });
      try {
        const r = await Promise.race([c.check().catch((err: Error) => ({ ok: false, detail: err.message })), timeout]);
        return { name: c.name, ...r };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { ok: results.every((r) => r.ok), checks: results };
}

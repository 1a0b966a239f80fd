/** `egress digest [--date YYYY-MM-DD] [--format text|json]`: the daily digest printed locally (no Slack needed). */
import { loadConfig } from '../config.js';
import { buildDigest } from '../digest/build.js';
import { checkDate, checkTimeZone, localDate } from '../digest/period.js';
import { digestPrefix } from '../digest/state.js';
import { redisSuppressions, type Suppression } from '../digest/suppressions.js';
import { parseNow } from '../flowlogs/window.js';
import { createLogger } from '../logger.js';
import { buildDeps, type Deps } from '../main.js';
import { renderDigestJson, renderDigestText } from '../render/digest-text.js';
import type { DataFlags } from './ask.js';
import type { CliIo } from './io.js';

export interface DigestFlags extends DataFlags {
  date?: string;
}

/**
 * Suppressions from Redis when `REDIS_URL` is set explicitly, so the CLI prints what the channel would get; without
 * it (or when Redis does not answer within 2 s) the digest is printed unsuppressed, with a note saying so.
 */
async function cliSuppressions(io: CliIo, deps: Deps): Promise<{ list: Suppression[]; note?: string }> {
  if (!io.env.REDIS_URL)
    return { list: [], note: 'suppressions not applied (they live in Redis; set REDIS_URL to apply them)' };
  const redis = await deps.redis('probe');
  try {
    await redis.connect();
    return { list: await redisSuppressions(redis, digestPrefix(deps.config.EGRESS_QUEUE)).list() };
  } catch (err) {
    return {
      list: [],
      note: `suppressions not applied: Redis at REDIS_URL did not answer (${(err as Error).message})`,
    };
  } finally {
    redis.disconnect();
  }
}

/** Runs the digest command; returns the exit code. */
export async function digestCli(o: DigestFlags, io: CliIo): Promise<number> {
  const config = loadConfig(io.env);
  const now = parseNow(o.now, io.clock);
  const tz = checkTimeZone(config.EGRESS_TZ);
  const date = o.date ? checkDate(o.date) : localDate(now, tz);
  const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, 2);
  const deps = buildDeps(config, logger, {
    dataDir: o.data,
    k8sFile: o.k8s,
    ipRangesFile: o.ipRanges,
    engine: o.engine,
  });
  try {
    const suppressions = await cliSuppressions(io, deps);
    const digest = await buildDigest(await deps.context(now), { date, tz, suppressions: suppressions.list });
    if (suppressions.note) digest.notes.push(suppressions.note);
    io.out(
      o.format === 'json' ? `${JSON.stringify(renderDigestJson(digest), null, 2)}\n` : `${renderDigestText(digest)}\n`,
    );
    for (const s of digest.skipped) io.err(`warning: skipped unreadable object ${s.key}: ${s.reason}\n`);
    return 0;
  } finally {
    await deps.close();
  }
}

/** `egress digest [--date YYYY-MM-DD] [--format text|json]`: the daily digest printed locally (no Slack needed). */
import type { Command as Commander } from 'commander';
import { type CliIo, parseNow } from '../cli.js';
import { addDataOptions } from '../cli-options.js';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { buildDeps, commandContext } from '../main.js';
import { createRedis } from '../redis.js';
import { renderDigestJson, renderDigestText } from '../render/digest-text.js';
import { buildDigest } from './build.js';
import { checkDate, checkTimeZone, localDate } from './period.js';
import { redisSuppressions, type Suppression } from './suppressions.js';

interface DigestCliOptions {
  date?: string;
  data?: string;
  k8s?: string;
  now?: string;
  format: 'text' | 'json';
  engine?: 'duckdb' | 'athena';
}

/** Key prefix of the digest's Redis state (suppressions, sent markers, posted messages). */
export const digestPrefix = (queueName: string) => `${queueName}:digest`;

/**
 * Suppressions from Redis when `REDIS_URL` is set explicitly, so the CLI prints what the channel would get; without
 * it (or when Redis does not answer within 2 s) the digest is printed unsuppressed, with a note saying so.
 */
async function cliSuppressions(
  io: CliIo,
  queueName: string,
  url: string,
): Promise<{ list: Suppression[]; note?: string }> {
  if (!io.env.REDIS_URL)
    return { list: [], note: 'suppressions not applied (they live in Redis; set REDIS_URL to apply them)' };
  const redis = createRedis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return { list: await redisSuppressions(redis, digestPrefix(queueName)).list() };
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
export async function digestCli(o: DigestCliOptions, io: CliIo): Promise<number> {
  const config = loadConfig(io.env);
  const now = parseNow(o.now, io.clock);
  const tz = checkTimeZone(config.EGRESS_TZ);
  const date = o.date ? checkDate(o.date) : localDate(now, tz);
  const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, 2);
  const deps = await buildDeps(config, logger, { dataDir: o.data, k8sFile: o.k8s, engine: o.engine });
  try {
    const suppressions = await cliSuppressions(io, config.EGRESS_QUEUE, config.REDIS_URL);
    const digest = await buildDigest(commandContext(deps, now), { date, tz, suppressions: suppressions.list });
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

/** Adds `digest` to the program, with the same data/engine options as the free-text commands. */
export function addDigestCommand(
  program: Commander,
  io: CliIo,
  setExit: (code: number) => void,
  onError: (err: unknown, io: CliIo) => number,
): void {
  const digest = program
    .command('digest')
    .description('print the daily digest (new destinations, DNS bypass, top talkers, NAT cost, REJECTs) for a date')
    .option('--date <YYYY-MM-DD>', 'the digest of this date (it reports the day before, in EGRESS_TZ); default today');
  addDataOptions(digest, { format: true }).action(async (_opts: DigestCliOptions, cmd: Commander) => {
    // Options given before `digest` belong to the root program; merge them so both orders work.
    const opts = cmd.optsWithGlobals() as DigestCliOptions;
    setExit(await digestCli(opts, io).catch((err) => onError(err, io)));
  });
}

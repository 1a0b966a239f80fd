import { dnsWindowParams, flowWindowParams } from '../engine/params.js';
import { answerCoverage } from './answer-coverage.js';
import type { CommandContext } from './context.js';
import type { Coverage } from './coverage.js';

/** The window the standing coverage report looks at: the last day, as `egress doctor` does. */
export const RECENT_SECONDS = 86_400;

/**
 * What the log data of the last 24 hours covers, for both tables (delivery lag, gaps, SKIPDATA/NODATA, unreadable
 * lines, missing fields, attribution source): the data behind any answer about recent traffic. One cheap query
 * (`doctor-recent`) through the configured engine; the coverage comes from what it read.
 */
export async function recentCoverage(ctx: CommandContext): Promise<Coverage> {
  const window = { from: ctx.now - RECENT_SECONDS, to: ctx.now };
  const r = await ctx.engine.run(
    'doctor-recent',
    { ...flowWindowParams(window), ...dnsWindowParams(window, 0) },
    { signal: ctx.signal },
  );
  return answerCoverage(ctx, [r]);
}

/**
 * An answer's data coverage in words (text footer and Slack context: one summary line, then a warning line per
 * problem) and as JSON. Pure.
 */
import type { Coverage, Gap, KindDelivery } from '../commands/coverage.js';
import { isoSeconds } from '../flowlogs/window.js';
import { shortTime } from './format.js';

const KIND_NAME = { flow: 'flow logs', dns: 'resolver logs' } as const;
const MAX_GAPS = 3;

const minutes = (s: number) => {
  const m = Math.ceil(s / 60);
  return m === 1 ? '1 minute' : `${m} minutes`;
};

function deliveryText(d: KindDelivery): string {
  if (d.newestRecord === undefined) return `${KIND_NAME[d.kind]}: no records in the window`;
  return `${KIND_NAME[d.kind]} up to ${shortTime(d.newestRecord)} UTC (lag ${minutes(d.lagSeconds ?? 0)})`;
}

function attributionText(c: Coverage): string {
  const a = c.attribution;
  if (a.source === 'snapshot')
    return `attribution: snapshot ${a.file}${a.takenAt !== undefined ? ` written ${shortTime(a.takenAt)} UTC` : ''}`;
  if (a.source === 'live') {
    const clusters = a.clusters.map(
      (k) =>
        `${k.name}${k.since !== undefined ? ` since ${shortTime(k.since)} UTC` : ''}${k.synced ? '' : ' (not in sync)'}`,
    );
    return `attribution: live timeline ${clusters.join(', ')}`;
  }
  return `attribution: none (${a.reason})`;
}

const gapText = (g: Gap) => `${KIND_NAME[g.kind]} ${shortTime(g.from)} → ${shortTime(g.to)} UTC`;

/** The one-line summary: delivery per table, gaps, SKIPDATA/NODATA, attribution source. */
export function coverageSummary(c: Coverage): string {
  const parts = c.delivery.map(deliveryText);
  // Without delivery facts (no log table read) there is nothing to say about gaps.
  if (c.delivery.length)
    parts.push(c.gaps.length ? `${c.gaps.length} gap${c.gaps.length === 1 ? '' : 's'}` : 'no gaps');
  if (c.skipData || c.noData) parts.push(`SKIPDATA ${c.skipData}, NODATA ${c.noData}`);
  parts.push(attributionText(c));
  return `coverage: ${parts.join(' · ')}`;
}

/** Objects lacking the same fields, together: `fields` → keys, in first-seen order. */
function groupMissing(list: Coverage['missingFields']): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const m of list) groups.set(m.fields.join(', '), [...(groups.get(m.fields.join(', ')) ?? []), m.key]);
  return groups;
}

/** One line per thing the person should know about the data behind the answer (empty when all is well). */
export function coverageWarnings(c: Coverage): string[] {
  const out: string[] = [];
  for (const d of c.delivery) {
    // Under a minute is the spacing of records, not late delivery (resolver logs have a record only per query).
    if (d.newestRecord !== undefined && d.undeliveredSeconds >= 60)
      out.push(
        `${KIND_NAME[d.kind]} for the last ${minutes(d.undeliveredSeconds)} of the window are not delivered yet (they arrive 5–10+ minutes late)`,
      );
  }
  if (c.gaps.length) {
    const shown = c.gaps.slice(0, MAX_GAPS).map(gapText).join('; ');
    const more = c.gaps.length > MAX_GAPS ? `; and ${c.gaps.length - MAX_GAPS} more` : '';
    out.push(`no log data at all for ${shown}${more} — answers cannot see traffic in those hours`);
  }
  if (c.skipData) out.push(`AWS dropped records (${c.skipData} SKIPDATA records in the window): counts may be low`);
  if (c.unreadableLines.count) {
    const where = c.unreadableLines.samples.map((s) => `${s.key}:${s.line}`).join(', ');
    out.push(
      `${c.unreadableLines.count} unreadable line${c.unreadableLines.count === 1 ? '' : 's'} skipped (${where})`,
    );
  }
  for (const [fields, keys] of groupMissing(c.missingFields)) {
    const which = keys.length === 1 ? keys[0] : `${keys.length} objects (first ${keys[0]})`;
    out.push(
      `${which} cannot answer this: ${keys.length === 1 ? 'its' : 'their'} flow-log format lacks ${fields} — \`egress setup --dry-run\` prints the LogFormat to use`,
    );
  }
  if (c.snat) out.push(c.snat.message);
  return out;
}

/** The `coverage` object of the JSON answer (ISO-8601 UTC times). */
export function coverageJson(c: Coverage): Record<string, unknown> {
  const iso = (t: number | undefined) => (t === undefined ? null : isoSeconds(t));
  const a = c.attribution;
  return {
    newestRecord: iso(c.newestRecord),
    lagSeconds: c.lagSeconds ?? null,
    delivery: c.delivery.map((d) => ({
      kind: d.kind,
      newestRecord: iso(d.newestRecord),
      lagSeconds: d.lagSeconds ?? null,
      undeliveredSeconds: d.undeliveredSeconds,
    })),
    gaps: c.gaps.map((g) => ({ kind: g.kind, from: isoSeconds(g.from), to: isoSeconds(g.to) })),
    skipData: c.skipData,
    noData: c.noData,
    skippedObjects: c.skippedObjects,
    unreadableLines: c.unreadableLines,
    missingFields: c.missingFields,
    attribution:
      a.source === 'snapshot'
        ? { ...a, takenAt: iso(a.takenAt) }
        : a.source === 'live'
          ? { source: 'live', clusters: a.clusters.map((k) => ({ ...k, since: iso(k.since) })) }
          : a,
    ...(c.snat ? { snat: c.snat } : {}),
  };
}

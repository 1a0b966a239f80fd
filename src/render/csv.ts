/**
 * The full result as CSV (RFC 4180), attached to the thread when the inline table is cut. Pure. Integers stay
 * integers and times are ISO-8601 UTC, so the file loads into a spreadsheet or pandas without clean-up.
 */
import type { FlowRow, TableData } from '../commands/answer.js';
import type { FromAnswer } from '../commands/from.js';
import type { Answer } from '../commands/registry.js';
import { selectorText } from '../commands/selector.js';
import { protocolName } from '../flowlogs/protocol.js';
import { isoSeconds } from '../flowlogs/window.js';

/**
 * Quotes a cell when needed and defuses spreadsheet formulas: a cell starting with `=`, `+`, `-`, `@`, tab or CR
 * (from a pod or domain name an attacker controls) gets a leading `'` so it is shown, not evaluated.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const line = (cells: Array<string | number | null | undefined>) => cells.map(csvCell).join(',');

const FLOW_COLUMNS = [
  'namespace',
  'workload_kind',
  'workload',
  'pod',
  'pod_ip',
  'node',
  'external_ip',
  'dst_port',
  'protocol',
  'flows',
  'rejected',
  'bytes_out',
  'bytes_in',
  'first_seen_utc',
  'last_seen_utc',
  'note',
];

/** Flow rows; `names` adds a column (the names behind each row: `who <name>`, `who <cidr>`). */
function flowCsv(rows: readonly FlowRow[], names?: (r: number) => readonly string[]): string {
  const out = [line(names ? [...FLOW_COLUMNS, 'names'] : FLOW_COLUMNS)];
  for (const [i, r] of rows.entries()) {
    out.push(
      line([
        r.workload?.namespace,
        r.workload?.kind ?? r.owner?.type,
        r.workload?.name ?? r.owner?.name ?? r.owner?.id,
        r.pod,
        r.podIp,
        r.node,
        r.externalIp,
        r.dstPort,
        protocolName(r.protocol),
        r.flows,
        r.rejected,
        r.bytesOut,
        r.bytesIn,
        isoSeconds(r.firstSeen),
        isoSeconds(r.lastSeen),
        r.reason,
        ...(names ? [names(i).join(' ')] : []),
      ]),
    );
  }
  return `${out.join('\r\n')}\r\n`;
}

const FROM_COLUMNS = [
  'external_ip',
  'dst_port',
  'protocol',
  'names',
  'pods',
  'flows',
  'rejected',
  'bytes_out',
  'bytes_in',
  'first_seen_utc',
  'last_seen_utc',
  'new',
];

function fromCsv(a: FromAnswer): string {
  const out = [line(FROM_COLUMNS)];
  for (const r of a.destinations) {
    out.push(
      line([
        r.externalIp,
        r.dstPort,
        protocolName(r.protocol),
        r.names.join(' '),
        r.pods.join(' '),
        r.flows,
        r.rejected,
        r.bytesOut,
        r.bytesIn,
        isoSeconds(r.firstSeen),
        isoSeconds(r.lastSeen),
        r.new ? 'true' : 'false',
      ]),
    );
  }
  return `${out.join('\r\n')}\r\n`;
}

function tableCsv(t: TableData): string {
  const out = [line(t.columns), ...t.rows.map((r) => line(t.columns.map((c) => r[c])))];
  return `${out.join('\r\n')}\r\n`;
}

/** CSV of the answer's rows (or its generic table); `undefined` when the answer has no tabular part. */
export function renderCsv(a: Answer): string | undefined {
  switch (a.command) {
    case 'who':
      if ('cidr' in a) return flowCsv(a.rows, (i) => a.rows[i]?.domains ?? []);
      if ('asked' in a) return flowCsv(a.rows, (i) => a.rows[i]?.names ?? []);
      return flowCsv(a.rows);
    case 'dns-bypass':
      return flowCsv(a.rows);
    case 'from':
      return fromCsv(a);
    case 'top':
    case 'cost':
    case 'rejects':
      return tableCsv(a.table);
    default:
      return undefined;
  }
}

/** `egress-who-142.250.80.46-last-7d.csv`: a file name that says what it holds. */
export function csvFileName(a: Answer): string {
  const subject =
    'ip' in a
      ? a.ip
      : 'cidr' in a
        ? a.cidr
        : 'asked' in a
          ? a.asked.kind === 'name'
            ? a.asked.name
            : a.asked.pattern.replace('*', 'any')
          : 'selector' in a
            ? selectorText(a.selector).replace('*', 'all')
            : undefined;
  const parts = ['egress', a.command, subject, 'label' in a ? a.label : undefined].filter(Boolean).join('-');
  return `${parts.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/:/g, '-')}.csv`;
}

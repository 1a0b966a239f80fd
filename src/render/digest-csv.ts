/** Every finding of a digest as CSV: what the Slack message leaves out when there are more than fit. Pure. */
import type { Digest } from '../digest/types.js';
import { isoSeconds } from '../flowlogs/window.js';
import { csvCell } from './csv.js';

const COLUMNS = [
  'kind',
  'destination',
  'names',
  'new_names',
  'new_address',
  'workload',
  'pods',
  'ports',
  'flows',
  'rejected',
  'bytes_out',
  'first_seen_utc',
  'last_seen_utc',
];

/** One line per finding and workload, new destinations first; RFC 4180 with formula-safe cells. */
export function renderDigestCsv(d: Digest): string {
  const lines = [COLUMNS.join(',')];
  for (const f of [...d.newDestinations, ...d.dnsBypass]) {
    for (const w of f.workloads) {
      const cells = [
        f.kind,
        f.destination,
        f.names.join(' '),
        f.newNames.join(' '),
        f.ipNew ? 'yes' : 'no',
        w.workload,
        w.pods.join(' '),
        w.ports.join(' '),
        w.flows,
        w.rejected,
        w.bytesOut,
        isoSeconds(w.firstSeen),
        isoSeconds(w.lastSeen),
      ];
      lines.push(cells.map(csvCell).join(','));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** `egress-digest-2026-11-20.csv` */
export const digestCsvName = (d: Pick<Digest, 'date'>) => `egress-digest-${d.date}.csv`;

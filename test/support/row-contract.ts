/** The JSON contract's row fields (the README's), and a picker that keeps only them — and any extra asked for. */
export const CONTRACT = [
  'podIp',
  'externalIp',
  'dstPort',
  'protocol',
  'workload',
  'pod',
  'flows',
  'rejected',
  'bytesOut',
  'bytesIn',
  'firstSeen',
  'lastSeen',
] as const;

/** The contract's fields of each row, plus `extra` (the answer may carry more, e.g. node, domainDetails). */
export const contract = (rows: Array<Record<string, unknown>>, extra: readonly string[] = []) =>
  rows.map((r) => Object.fromEntries([...CONTRACT, ...extra].map((k) => [k, r[k]])));

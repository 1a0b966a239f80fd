/** Parses durations such as `90d`, `24h`, `30m`, `45s` (or a bare number of seconds) into seconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+)\s*(s|m|h|d)?\s*$/i.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? 's').toLowerCase();
  const mult = unit === 'd' ? 86_400 : unit === 'h' ? 3_600 : unit === 'm' ? 60 : 1;
  return n * mult;
}

/** Formats seconds as the largest whole unit: 604800 → `7d`, 7200 → `2h`. */
export function formatDuration(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400}d`;
  if (seconds % 3_600 === 0) return `${seconds / 3_600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** Human words for a window length: 604800 → `7 days`, 3600 → `1 hour`. */
export function describeDuration(seconds: number): string {
  const [n, unit] =
    seconds % 86_400 === 0
      ? [seconds / 86_400, 'day']
      : seconds % 3_600 === 0
        ? [seconds / 3_600, 'hour']
        : [Math.round(seconds / 60), 'minute'];
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

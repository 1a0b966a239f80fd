/**
 * The pieces of the command grammar the specs share: IP arguments, `last N(h|d)` windows and `by X` groupings, each
 * refusing what it does not understand with a one-line fix-it message. Pure.
 */
import { describeDuration, formatDuration } from '../duration.js';
import { UserError } from '../errors.js';
import { type AddressClassifier, canonicalIp } from '../flowlogs/classify.js';
import type { WindowSpec } from '../flowlogs/window.js';

export interface ParseOptions {
  /** Longest window allowed (seconds), `EGRESS_MAX_WINDOW`. */
  maxWindowSeconds: number;
  /** Used to refuse internal IPs for `who`/`domain` with a clear message. */
  classifier: AddressClassifier;
}

export const DEFAULT_WINDOW: WindowSpec = { amount: 7, unit: 'd', seconds: 7 * 86_400 };

/** Shortens what the person typed for quoting it back. */
export function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/** "Usage: `who <ip> [last N(h|d)]`" */
export const usageHint = (usage: string) => `Usage: \`${usage}\``;

/** ` over the last 7 days`, for the ack line of a windowed command. */
export const over = (w: WindowSpec) => ` over the last ${describeDuration(w.seconds)}`;

/**
 * Removes Slack markup the client may add around what the person typed (`<mailto:…|x>`, backticks, *bold*, _italic_)
 * without eating what belongs to the command: the `*` of a `*.suffix` wildcard and the `_` of names like `_dmarc`.
 */
export function unwrap(text: string): string {
  const plain = text
    .replace(/<[^|>]+\|([^>]+)>/g, '$1')
    .replace(/<([^>]+)>/g, '$1')
    .replace(/`/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const italic = /^_[^_].*[^_]_$/.test(plain);
  const words = (italic ? plain.slice(1, -1) : plain).split(' ');
  return words
    .map((w) => (/^_[^_]+_$/.test(w) ? w.slice(1, -1) : w).replace(/(?<!\/)\*+$/, '').replace(/^\*+(?!\.)/, ''))
    .filter(Boolean)
    .join(' ');
}

/**
 * One IP address argument in canonical form. With `internet`, an internal address is refused with a hint at the
 * command that does answer it.
 */
export function parseIpArg(
  cmd: string,
  usage: string,
  raw: string | undefined,
  opts: ParseOptions,
  internet: boolean,
): string {
  if (!raw) {
    throw new UserError(
      'BAD_IP',
      `\`${cmd}\` needs an IP address, e.g. \`${cmd} 142.250.80.46 last 7d\`. ${usageHint(usage)}`,
    );
  }
  const ip = canonicalIp(raw);
  if (!ip) {
    throw new UserError(
      'BAD_IP',
      `"${truncate(raw)}" is not an IP address. Give one IPv4 or IPv6 address, e.g. \`${cmd} 142.250.80.46 last 7d\`.`,
    );
  }
  if (internet && opts.classifier.isInternal(ip)) {
    throw new UserError(
      'INTERNAL_IP',
      `${ip} is a private/internal address, not internet egress. To see which pod held it, use \`ip-history ${ip}\`; to see what it talks to, use \`top by destination\`.`,
    );
  }
  return ip;
}

/** What follows a command's arguments. */
export interface Tail<B extends string> {
  window: WindowSpec;
  by?: B;
}

/**
 * Parses `[last N(h|d)] [by X]` in either order; anything else is an error naming the stray word. `cmd` may carry the
 * arguments ("who 1.2.3.4") so fix-it examples are complete commands.
 */
export function parseTail<B extends string>(
  cmd: string,
  usage: string,
  words: readonly string[],
  opts: ParseOptions,
  byChoices: readonly B[] = [],
  defaultWindow: WindowSpec = DEFAULT_WINDOW,
): Tail<B> {
  let window: WindowSpec | undefined;
  let by: B | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = (words[i] as string).toLowerCase();
    if (w === 'last' || /^\d+\s*[a-z]*$/.test(w)) {
      if (window) throw new UserError('BAD_WINDOW', `Give the window once, e.g. \`${cmd} last 7d\`.`);
      let spec = w === 'last' ? words[++i] : w;
      // Accept "last 7 d" / "last 7 days" as people type them.
      if (spec && /^\d+$/.test(spec) && words[i + 1] && /^[a-z]+$/i.test(words[i + 1] as string)) spec += words[++i];
      window = parseWindow(cmd, spec, opts.maxWindowSeconds);
    } else if (w === 'by' && byChoices.length) {
      const choice = (words[++i] ?? '').toLowerCase();
      const known = byChoices.find((b) => b === choice);
      if (!known) {
        throw new UserError(
          'BAD_COMMAND',
          `\`${cmd} by\` takes ${byChoices.join(', ')}; e.g. \`${cmd} last 7d by ${byChoices[0]}\`.`,
        );
      }
      by = known;
    } else {
      throw new UserError(
        'BAD_COMMAND',
        `Unexpected "${truncate(words[i] as string)}" after \`${cmd}\`. ${usageHint(usage)}`,
      );
    }
  }
  return { window: window ?? defaultWindow, by };
}

/** `7d`, `24h`, `7days`, `12hours` → WindowSpec; bounded by the configured maximum. */
export function parseWindow(cmd: string, spec: string | undefined, maxSeconds: number): WindowSpec {
  const m = /^(\d{1,6})(h|hr|hrs|hour|hours|d|day|days)$/i.exec(spec ?? '');
  if (!m) {
    throw new UserError(
      'BAD_WINDOW',
      `"${truncate(spec ?? '')}" is not a window. Write \`last N\` followed by h or d, e.g. \`${cmd} last 24h\` or \`${cmd} last 7d\`.`,
    );
  }
  const amount = Number(m[1]);
  const unit = (m[2] as string).toLowerCase().startsWith('h') ? 'h' : 'd';
  const seconds = amount * (unit === 'h' ? 3_600 : 86_400);
  if (amount < 1) throw new UserError('BAD_WINDOW', `The window must be at least 1h, e.g. \`${cmd} last 1h\`.`);
  if (seconds > maxSeconds) {
    throw new UserError(
      'WINDOW_TOO_LONG',
      `last ${amount}${unit} is longer than the maximum of ${describeDuration(maxSeconds)}; try \`${cmd} last ${formatDuration(maxSeconds)}\` or less.`,
    );
  }
  return { amount, unit, seconds };
}

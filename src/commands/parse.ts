import { describeDuration, formatDuration } from '../duration.js';
import { UserError } from '../errors.js';
import { type AddressClassifier, canonicalIp } from '../flowlogs/classify.js';
import type { Command, CostBy, TopBy, WindowSpec } from './command.js';

/** One line per command: the grammar shown in every fix-it message. */
export const USAGE: readonly string[] = [
  'who <ip> [last N(h|d)]          which pods/workloads sent traffic to an internet IP',
  'dns-bypass [last N(h|d)]        workloads talking DNS (53/853) to the internet instead of the VPC resolver',
  'domain <ip> [last N(h|d)]       which names resolved to an IP',
  'ip-history <ip> [last N(h|d)]   which pods held a pod IP, and when',
  'top [last N(h|d)] [by workload|namespace|destination]   top talkers by bytes out',
  'cost [last N(h|d)] [by workload|namespace]              NAT gateway data-processing cost',
  'rejects [last N(h|d)]           REJECTed egress by workload and destination',
  'help                            this list',
];

export const DEFAULT_WINDOW: WindowSpec = { amount: 7, unit: 'd', seconds: 7 * 86_400 };

export interface ParseOptions {
  /** Longest window allowed (seconds), `EGRESS_MAX_WINDOW`. */
  maxWindowSeconds: number;
  /** Used to refuse internal IPs for `who`/`domain` with a clear message. */
  classifier: AddressClassifier;
}

const usageHint = (cmd: string) => `Usage: \`${USAGE.find((u) => u.startsWith(cmd))?.split(/\s{2,}/)[0] ?? cmd}\``;

/** Removes Slack markup the client may add around what the person typed (`<mailto:…|x>`, backticks, *bold*). */
function unwrap(text: string): string {
  return text
    .replace(/<[^|>]+\|([^>]+)>/g, '$1')
    .replace(/<([^>]+)>/g, '$1')
    .replace(/[`*_]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Parses the command text shared by Slack and the CLI. Throws {@link UserError} with a one-line fix-it message on
 * anything it does not understand. Pure.
 */
export function parseCommand(text: string, opts: ParseOptions): Command {
  const words = unwrap(text).split(' ').filter(Boolean);
  const name = (words.shift() ?? 'help').toLowerCase();
  switch (name) {
    case 'help':
    case '?':
      return { name: 'help', topic: words[0] };
    case 'who':
    case 'domain':
    case 'ip-history': {
      const ip = parseIpArg(name, words.shift(), opts);
      const window = parseTail(`${name} ${ip}`, words, opts, []).window;
      return { name, ip, window };
    }
    case 'dns-bypass':
    case 'rejects':
      return { name, window: parseTail(name, words, opts, []).window };
    case 'top': {
      const t = parseTail(name, words, opts, ['workload', 'namespace', 'destination']);
      return { name, window: t.window, by: (t.by ?? 'workload') as TopBy };
    }
    case 'cost': {
      const t = parseTail(name, words, opts, ['workload', 'namespace']);
      return { name, window: t.window, by: (t.by ?? 'workload') as CostBy };
    }
    default:
      throw new UserError(
        'BAD_COMMAND',
        `Unknown command "${truncate(name)}". Try \`who 142.250.80.46 last 7d\`, \`dns-bypass\`, \`domain <ip>\` or \`help\`.`,
      );
  }
}

function parseIpArg(cmd: string, raw: string | undefined, opts: ParseOptions): string {
  if (!raw)
    throw new UserError(
      'BAD_IP',
      `\`${cmd}\` needs an IP address, e.g. \`${cmd} 142.250.80.46 last 7d\`. ${usageHint(cmd)}`,
    );
  const ip = canonicalIp(raw);
  if (!ip) {
    throw new UserError(
      'BAD_IP',
      `"${truncate(raw)}" is not an IP address. Give one IPv4 or IPv6 address, e.g. \`${cmd} 142.250.80.46 last 7d\`.`,
    );
  }
  if (cmd !== 'ip-history' && opts.classifier.isInternal(ip)) {
    throw new UserError(
      'INTERNAL_IP',
      `${ip} is a private/internal address, not internet egress. To see which pod held it, use \`ip-history ${ip}\`; to see what it talks to, use \`top by destination\`.`,
    );
  }
  return ip;
}

/** Parses `[last N(h|d)] [by X]` in either order; anything else is an error naming the stray word. */
function parseTail(cmd: string, words: string[], opts: ParseOptions, byChoices: string[]) {
  // `cmd` may carry the IP ("who 1.2.3.4") so fix-it examples are complete commands.
  const verb = cmd.split(' ')[0] as string;
  let window: WindowSpec | undefined;
  let by: string | undefined;
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
      if (!byChoices.includes(choice))
        throw new UserError(
          'BAD_COMMAND',
          `\`${cmd} by\` takes ${byChoices.join(', ')}; e.g. \`${cmd} last 7d by ${byChoices[0]}\`.`,
        );
      by = choice;
    } else {
      throw new UserError(
        'BAD_COMMAND',
        `Unexpected "${truncate(words[i] as string)}" after \`${cmd}\`. ${usageHint(verb)}`,
      );
    }
  }
  return { window: window ?? DEFAULT_WINDOW, by };
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

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

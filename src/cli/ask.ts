/** `egress <command text…>`: the chat grammar from the shell, answered through the same command core. */
import { parseCommand } from '../commands/parse.js';
import { type Answer, help, runCommand } from '../commands/registry.js';
import { loadConfig } from '../config.js';
import { UserError } from '../errors.js';
import { parseNow } from '../flowlogs/window.js';
import { createLogger } from '../logger.js';
import { buildDeps } from '../main.js';
import { renderJson } from '../render/json.js';
import { renderText } from '../render/text.js';
import { renderYaml, YAML_COMMANDS } from '../render/yaml.js';
import type { CliIo } from './io.js';

/** The flags every data-reading subcommand shares (see `addDataOptions`). */
export interface DataFlags {
  data?: string;
  k8s?: string;
  ipRanges?: string;
  now?: string;
  format: 'text' | 'json' | 'yaml';
  /** `--collapse` given as an option rather than a word of the command text (the same thing). */
  collapse?: boolean;
  engine?: 'duckdb' | 'athena';
}

/** The answer in the asked format; YAML only for answers that are documents (policy drafts). */
function formatted(answer: Answer, format: DataFlags['format']): string {
  if (format === 'json') return `${JSON.stringify(renderJson(answer), null, 2)}\n`;
  if (format === 'text') return `${renderText(answer)}\n`;
  const yaml = renderYaml(answer);
  if (yaml === undefined) throw noYaml(answer.command);
  return yaml;
}

const noYaml = (command: string) =>
  new UserError(
    'BAD_COMMAND',
    `--format yaml is for answers that are documents (\`policy\` drafts); \`${command}\` answers as text or json: use --format json.`,
  );

/** Runs `egress <command text…>` and returns the exit code: 0 answered, 2 bad input, 1 other failure. */
export async function ask(words: string[], o: DataFlags, io: CliIo): Promise<number> {
  const config = loadConfig(io.env);
  const now = parseNow(o.now, io.clock);
  const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, 2);
  const deps = buildDeps(config, logger, {
    dataDir: o.data,
    k8sFile: o.k8s,
    ipRangesFile: o.ipRanges,
    engine: o.engine,
  });
  const text = [...words, ...(o.collapse && !words.includes('--collapse') ? ['--collapse'] : [])].join(' ');
  const cmd = parseCommand(text, {
    maxWindowSeconds: config.EGRESS_MAX_WINDOW,
    classifier: deps.classifier,
  });
  // Refused before any query runs: the answer could not be shown anyway.
  if (o.format === 'yaml' && !YAML_COMMANDS.has(cmd.name)) throw noYaml(cmd.name);
  try {
    // help needs no engine: its context is never built.
    const answer = cmd.name === 'help' ? help() : await runCommand(cmd, await deps.context(now));
    io.out(formatted(answer, o.format));
    for (const s of answer.skipped) io.err(`warning: skipped unreadable object ${s.key}: ${s.reason}\n`);
    return 0;
  } finally {
    await deps.close();
  }
}

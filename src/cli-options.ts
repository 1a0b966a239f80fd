import { type Command, Option } from 'commander';

/**
 * The options every data-reading subcommand shares (free-text commands, `digest`, `doctor`), declared once so their
 * names, choices and help stay the same everywhere.
 */
export function addDataOptions(cmd: Command, o: { format?: boolean } = {}): Command {
  cmd
    .option('--data <dir>', 'local mirror of the log bucket (default EGRESS_DATA_DIR)')
    .option('--k8s <file>', 'output of `kubectl get pods,replicasets,jobs -A -o json`')
    .option('--now <iso>', 'answer as of this time (ISO-8601), default now');
  if (o.format)
    cmd.addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'));
  return cmd.addOption(
    new Option('--engine <engine>', 'query engine (default EGRESS_ENGINE)').choices(['duckdb', 'athena']),
  );
}

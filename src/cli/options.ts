import { type Command, Option } from 'commander';

/**
 * The options every data-reading subcommand shares (free-text commands, `digest`, `doctor`), declared once so their
 * names, choices and help stay the same everywhere.
 */
export function addDataOptions(cmd: Command, o: { format?: boolean; yaml?: boolean } = {}): Command {
  cmd
    .option('--data <dir>', 'local mirror of the log bucket (default EGRESS_DATA_DIR)')
    .option('--k8s <file>', 'output of `kubectl get pods,replicasets,jobs -A -o json`')
    .option('--ip-ranges <file>', "AWS's ip-ranges.json, for VPC-endpoint savings (default EGRESS_AWS_IP_RANGES)")
    .option('--now <iso>', 'answer as of this time (ISO-8601), default now');
  if (o.format) {
    // yaml: the answers that are documents (policy drafts); the others refuse it with a hint.
    const choices = o.yaml ? ['text', 'json', 'yaml'] : ['text', 'json'];
    cmd.addOption(new Option('--format <format>', 'output format').choices(choices).default('text'));
  }
  return cmd.addOption(
    new Option('--engine <engine>', 'query engine (default EGRESS_ENGINE)').choices(['duckdb', 'athena']),
  );
}

/** `--data`, `--k8s`, `--port` of the long-running processes. */
export function addServeOptions(cmd: Command): Command {
  return cmd
    .option('--data <dir>', 'local mirror of the log bucket (default EGRESS_DATA_DIR)')
    .option('--k8s <file>', 'Kubernetes snapshot for attribution (default EGRESS_K8S_SNAPSHOT)')
    .option('--port <port>', 'HTTP port for /slack/events, /healthz and /metrics (default PORT)');
}

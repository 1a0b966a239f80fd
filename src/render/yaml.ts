/** `--format yaml`: the answers that are documents (policy drafts) as multi-document YAML. Pure. */
import type { Answer } from '../commands/registry.js';
import { policyYaml } from './policy-yaml.js';

/** Commands whose answers have a YAML form; the CLI refuses `--format yaml` for the others before running them. */
export const YAML_COMMANDS: ReadonlySet<string> = new Set(['policy']);

/** The YAML of an answer, or undefined when it has none. */
export function renderYaml(a: Answer): string | undefined {
  return a.command === 'policy' ? policyYaml(a) : undefined;
}

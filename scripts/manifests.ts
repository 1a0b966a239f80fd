/**
 * `npm run manifests`: writes the `/egress` usage hint into both Slack app manifests from the command specs, so the
 * hint Slack shows lists exactly the commands the bot has (test/slack-manifest.test.ts checks they agree).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { usageHint } from '../src/commands/registry.js';

const FILES = ['deploy/slack-app-manifest.yaml', 'deploy/slack-app-manifest.socket-mode.yaml'];

for (const file of FILES) {
  const text = readFileSync(file, 'utf8');
  const next = text.replace(/^(\s+usage_hint:).*$/m, `$1 ${usageHint()}`);
  if (next !== text) writeFileSync(file, next);
  process.stdout.write(`${file}: usage_hint: ${usageHint()}\n`);
}

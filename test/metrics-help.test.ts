/** `/metrics` is read by people: the commands counter's help names every outcome the code counts. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );

describe('egress_commands_total', () => {
  it('lists in its help every outcome the receiver and the worker count', () => {
    const src = ['src/slack', 'src/queue'].flatMap(files).map((f) => readFileSync(f, 'utf8'));
    // The four places outcomes are counted: intake's done(), the enqueue's count(), the worker's observe()/final().
    const counted = new Set(
      src.flatMap((s) => [...s.matchAll(/\b(?:done|count|observe|final)\(\s*'([a-z_]+)'/g)].map((m) => m[1] as string)),
    );
    // Intake's Outcome type too (done() receives its values as variables as well as literals).
    const type = /export type Outcome =([^;]*);/.exec(readFileSync('src/slack/intake.ts', 'utf8'))?.[1] ?? '';
    for (const m of type.matchAll(/'([a-z_]+)'/g)) counted.add(m[1] as string);
    const help =
      /help:\s*'(Commands by name and outcome[^']*)'/.exec(readFileSync('src/metrics.ts', 'utf8'))?.[1] ?? '';
    expect(counted.size).toBeGreaterThan(10);
    const listed = new Set(help.match(/[a-z_]+/g));
    expect([...counted].filter((o) => !listed.has(o))).toEqual([]);
  });
});

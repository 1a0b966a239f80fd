import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, egress, timed } from '../bench/spawn.js';
import { VERSION } from '../src/version.js';

describe('npm run bench times what a user runs', () => {
  it('spawns the installed bin/egress, one process per figure, timed from spawn to exit', async () => {
    expect(BIN).toBe(path.resolve('bin/egress'));
    const r = await egress(['--version'], {});
    expect(r.stdout.trim()).toBe(VERSION);
    expect(r.ms).toBeGreaterThan(0);
    // A failing run is an error, not a fast figure.
    await expect(egress(['no-such-subcommand', '--no-such-flag'], {})).rejects.toThrow(/exited 2/);
    expect((await timed(process.execPath, ['-e', 'process.exit(3)'])).code).toBe(3);
  });

  it('answers nothing in-process: every flow figure and the bot figure go through bin/egress', async () => {
    const flows = await readFile('bench/flows.ts', 'utf8');
    expect(flows).not.toMatch(/runCommand|DuckDbEngine|src\/commands\/|engine\/duckdb|who-child/);
    for (const call of ['egress(who(BENCH_DIR', "egress(['--version']", "egress(['cache', 'warm'"]) {
      expect(flows).toContain(call);
    }
    const bot = await readFile('bench/bot.ts', 'utf8');
    expect(bot).toContain("spawn(BIN, ['serve'");
    expect(bot).not.toMatch(/startBot|buildDeps/);
  });
});

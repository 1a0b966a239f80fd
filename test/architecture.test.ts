/**
 * The layer rules of .dependency-cruiser.cjs hold on the real tree, and they do catch what they are for: an upward
 * import and a cycle, in a small tree laid out like src/ (so this test fails if the rules stop matching paths).
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const depcruise = path.join(root, 'node_modules', '.bin', 'depcruise');
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function cruise(cwd: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(depcruise, ['src', '--config', '.dependency-cruiser.cjs'], { cwd });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, out: e.stdout };
  }
}

describe('layers and cycles', () => {
  it('the source tree has no cycle and no upward import', async () => {
    const r = await cruise(root);
    expect(r.out).toContain('no dependency violations found');
    expect(r.code).toBe(0);
  }, 60_000);

  it('an upward import (engine → slack) and a cycle fail the check, naming the rule', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'egress-layers-'));
    dirs.push(dir);
    const file = async (rel: string, text: string) => {
      await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
      await writeFile(path.join(dir, rel), text);
    };
    await copyFile(path.join(root, '.dependency-cruiser.cjs'), path.join(dir, '.dependency-cruiser.cjs'));
    await file(
      'tsconfig.json',
      JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }),
    );
    await file('src/slack/receiver.ts', 'export const receiver = 1;\n');
    await file(
      'src/engine/probe.ts',
      "import { receiver } from '../slack/receiver.js';\nexport const probe = receiver;\n",
    );
    await file('src/commands/a.ts', "import { b } from './b.js';\nexport const a = () => b;\n");
    await file('src/commands/b.ts', "import { a } from './a.js';\nexport const b = () => a;\n");
    const r = await cruise(dir);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/no-upward-from-sources: src\/engine\/probe\.ts → src\/slack\/receiver\.ts/);
    expect(r.out).toMatch(/no-circular: src\/commands\/a\.ts →/);
  }, 60_000);
});

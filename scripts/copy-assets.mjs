// Copies the non-TypeScript files the program reads at run time (Redis Lua scripts, the DuckDB compatibility SQL) from src/ to dist/, beside the
// compiled modules that load them, so `dist/` runs on its own (the image ships dist/, not src/).
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const ASSETS = /\.(lua|sql)$/;
const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : ASSETS.test(e.name) ? [join(dir, e.name)] : [],
  );
for (const file of walk('src')) {
  const out = join('dist', relative('src', file));
  mkdirSync(dirname(out), { recursive: true });
  copyFileSync(file, out);
}

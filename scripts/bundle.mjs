// Bundles the compiled program (dist/) into dist/bundle/ with esbuild, which bin/egress runs: split at the dynamic
// imports, so each subcommand still loads only what it uses. Loading ~100 small modules of ours, zod's ~90 and
// DuckDB's API wrapper one by one cost a CLI answer about a fifth of its time; a few chunks load in a fraction of that.
// Only pure JavaScript packages are inlined (INLINE); everything else — native bindings (DuckDB's, resvg), packages
// that read files beside themselves (BullMQ's Lua) — stays an ordinary import from node_modules. The source maps chain
// through tsc's, so stack traces still point at src/; the assets modules read beside themselves are copied along.
import { copyFileSync, cpSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const OUT = 'dist/bundle';
const INLINE = new Set(['zod', 'commander', 'ipaddr.js', '@duckdb/node-api']);
const packageOf = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);

rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints: ['dist/cli.js'],
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  // Inlined CommonJS packages (commander) require Node built-ins: every chunk gets a real `require`.
  banner: {
    js: "import { createRequire as egressCreateRequire } from 'node:module'; const require = egressCreateRequire(import.meta.url);",
  },
  plugins: [
    {
      name: 'external-packages',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (a) => {
          if (a.kind === 'entry-point') return undefined;
          return a.path.startsWith('node:') || !INLINE.has(packageOf(a.path))
            ? { path: a.path, external: true }
            : undefined;
        });
      },
    },
  ],
});
copyFileSync('dist/engine/trino-compat.sql', `${OUT}/trino-compat.sql`);
cpSync('dist/attribution/lua', `${OUT}/lua`, { recursive: true });

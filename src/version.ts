import { existsSync, readFileSync } from 'node:fs';

/**
 * The version from package.json, read once: the one place it is written. The package root is one level above src/
 * (tests, tsx) and dist/ (the compiled modules), two above dist/bundle/ (the bundled program bin/egress runs).
 */
function packageVersion(): string {
  for (const p of ['../package.json', '../../package.json']) {
    const file = new URL(p, import.meta.url);
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'egress' && pkg.version) return pkg.version;
  }
  return 'unknown';
}

export const VERSION: string = packageVersion();

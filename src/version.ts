import { existsSync, readFileSync } from 'node:fs';

/**
 * The version from package.json, read once: the one place it is written. The package root is one level above src/
 * (tests, tsx) and dist/ (the compiled modules), two above dist/bundle/ (the bundled program bin/egress runs).
 */
const file = ['../package.json', '../../package.json']
  .map((p) => new URL(p, import.meta.url))
  .find((u) => existsSync(u) && (JSON.parse(readFileSync(u, 'utf8')) as { name?: string }).name === 'egress');

export const VERSION: string = file
  ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
  : 'unknown';

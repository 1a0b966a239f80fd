import { readFileSync } from 'node:fs';

/**
 * The version from package.json, read once: the one place it is written. The path is the same from src/ (tests, tsx)
 * and dist/ (the compiled program), both one level below the package root.
 */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

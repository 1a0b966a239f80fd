// `npm ci` runs this (the `prepare` lifecycle script): it compiles src/ to dist/ so that `npm ci && npm run demo` is
// the whole set-up and bin/egress never transpiles at run time. Nothing to do where there is no TypeScript (a
// production `npm ci --omit=dev`) or no source yet (the Dockerfile installs before it copies src/, so the install
// layer is cached across source changes, then runs `npm run build` itself).
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (existsSync('node_modules/typescript') && existsSync('src')) execSync('npm run build', { stdio: 'inherit' });

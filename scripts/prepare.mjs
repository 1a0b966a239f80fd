// `npm ci` runs this (the `prepare` lifecycle script): it compiles src/ to dist/ so that `npm ci && npm run demo` is
// the whole set-up and bin/egress never transpiles at run time. A production install (`npm ci --omit=dev`, as in the
// Dockerfile) has no TypeScript and copies a dist/ built earlier, so there is nothing to do.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

if (existsSync('node_modules/typescript')) execSync('npm run build', { stdio: 'inherit' });

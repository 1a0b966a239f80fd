# syntax=docker/dockerfile:1.7
#
# egress: the Slack bot (`serve`, the default command) and the worker (`worker`) in one image.
#
# Plain npm steps only: the build stage compiles src/ to dist/ (`npm ci` + `npm run build`), the prod-deps stage
# installs the production dependencies (`npm ci --omit=dev`), and the runtime stage ships the compiled output with
# them, not src/. test/docker-recipe.test.ts runs the same npm commands in temp directories (CI has no Docker
# engine), assembles what the runtime stage's COPY lines assemble and starts it; it compares its steps with the RUN and
# COPY lines here, so change both together.

ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: full dependency tree, compile to dist/ ------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# The install comes before the sources: its `prepare` script (scripts/prepare.mjs) builds nothing without src/, so
# this layer stays cached across source changes; the build then compiles src/ (with its Lua and SQL) to dist/ and
# bundles that into dist/bundle/ (what bin/egress runs).
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY scripts/prepare.mjs scripts/copy-assets.mjs scripts/bundle.mjs ./scripts/
RUN npm ci --no-audit --no-fund
COPY src ./src
RUN npm run build

# ---- prod-deps: production dependencies only (DuckDB's and resvg's native bindings come with them) ---------------
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
# `npm ci` runs the package's own `prepare` script here too; without TypeScript it does nothing, but it must exist.
COPY scripts/prepare.mjs ./scripts/
RUN npm ci --omit=dev --no-audit --no-fund

# ---- runtime ---------------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="egress" \
      org.opencontainers.image.description="Who in your EKS cluster talks to the internet, from VPC Flow Logs and Route 53 Resolver logs"
# bin/egress turns source maps on itself (stack traces point at src/), so NODE_OPTIONS stays free for the operator.
ENV NODE_ENV=production \
    PORT=3000 \
    HOME=/tmp
# The digest chart is rasterised with the system's DejaVu Sans (slim images have no fonts at all).
RUN apt-get update \
  && apt-get install -y --no-install-recommends fonts-dejavu-core \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# COPY leaves everything owned by root: read-only to the app, which writes only to /tmp (DuckDB, the object cache), the
# emptyDir Kubernetes mounts there under readOnlyRootFilesystem. The program reads queries/ and package.json at run time.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY queries ./queries
USER 1000:1000
EXPOSE 3000
# node is PID 1: the app installs its own SIGTERM/SIGINT handlers (drain, close, exit 0), so no init shim is needed.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "bin/egress"]
CMD ["serve"]

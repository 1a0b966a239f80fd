# syntax=docker/dockerfile:1.7
#
# egress: the Slack bot (`serve`, the default command) and the worker (`worker`) in one image.
#
# The app runs its TypeScript sources through tsx, a runtime dependency (bin/egress registers it), so there is no emitted
# JavaScript to keep in sync with src/: the build stage type-checks with the dev dependencies, the runtime stage gets a
# production-only `npm ci --omit=dev`. scripts/docker-steps.ts replays the install and start steps of this file in a
# temp directory (CI has no Docker engine), so keep every step in the simple forms it understands: FROM, ARG, ENV,
# WORKDIR, USER, EXPOSE, LABEL, COPY [--from=stage] [--chown=…] src… dest, HEALTHCHECK, ENTRYPOINT/CMD (JSON form), and
# RUN with `npm ci`, `npx tsc`, `npm cache clean`, `apt-get update|install`, `rm -rf /var/lib/apt/lists/*`.

ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: full dependency tree, type-check gate ------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY queries ./queries
RUN npx tsc --noEmit -p tsconfig.json

# ---- prod-deps: production dependencies only (DuckDB's, esbuild's and resvg's native binaries come with them) -----
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ---- runtime -------------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="egress" \
      org.opencontainers.image.description="Who in your EKS cluster talks to the internet, from VPC Flow Logs and Route 53 Resolver logs"
ENV NODE_ENV=production \
    PORT=3000 \
    HOME=/tmp \
    NODE_OPTIONS=--enable-source-maps
# The digest chart is rasterised with the system's DejaVu Sans (slim images have no fonts at all).
RUN apt-get update \
  && apt-get install -y --no-install-recommends fonts-dejavu-core \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=prod-deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/package.json ./package.json
COPY --from=build --chown=root:root /app/bin ./bin
COPY --from=build --chown=root:root /app/src ./src
COPY --from=build --chown=root:root /app/queries ./queries
# Files stay owned by root and read-only to the app; it writes only to /tmp (tsx's cache, DuckDB, the object cache),
# which Kubernetes mounts as an emptyDir under readOnlyRootFilesystem.
USER 1000:1000
EXPOSE 3000
# node is PID 1: the app installs its own SIGTERM/SIGINT handlers (drain, close, exit 0), so no init shim is needed.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "bin/egress"]
CMD ["serve"]

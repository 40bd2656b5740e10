# One image per service, each with only what that service needs:
#   docker build --build-arg SERVICE=gateway -t instagram-gateway .
#   docker run --rm -p 8080:8080 -e PORT=8080 -e KAFKA_BROKERS=… instagram-gateway
# SERVICE is a folder of packages/: gateway, auth-service, user-service, image-service, comment-service.
# docker-compose.yml builds all five.
ARG NODE_IMAGE=node:24-slim

# The service's workspace packages only (turbo prune): json/ holds their package.json files and a
# lockfile reduced to them, full/ their sources.
FROM ${NODE_IMAGE} AS prune
ARG SERVICE
ARG TURBO_VERSION=2.11.11
WORKDIR /repo
RUN test -n "$SERVICE" || (echo "--build-arg SERVICE=<folder of packages/> is required" >&2 && exit 1)
RUN npm install --global --no-fund --no-audit "turbo@${TURBO_VERSION}"
COPY . .
RUN turbo prune "@instagram/${SERVICE}" --docker

# TypeScript to JavaScript: every dependency (dev ones too: tsc), then `turbo build` of the service
# and the workspace packages it imports.
FROM ${NODE_IMAGE} AS build
ARG SERVICE
WORKDIR /repo
ENV NPM_CONFIG_UPDATE_NOTIFIER=false TURBO_TELEMETRY_DISABLED=1
COPY --from=prune /repo/out/json/ ./
# The root postinstall patches the postgres driver (see the script).
COPY packages/kit/scripts/patch-postgres-driver.mjs packages/kit/scripts/patch-connect-calls.mjs packages/kit/scripts/
RUN npm ci
COPY --from=prune /repo/out/full/ ./
COPY tsconfig.base.json ./
RUN npx turbo run build --filter="@instagram/${SERVICE}"
# What the runtime stage takes: each package's package.json and dist/, no sources.
RUN mkdir /deploy && for dir in packages/*; do \
      mkdir -p "/deploy/$dir" && cp "$dir/package.json" "/deploy/$dir/" && \
      if [ -d "$dir/dist" ]; then cp -R "$dir/dist" "/deploy/$dir/"; fi; \
    done

# Production dependencies only (no TypeScript, tsx, turbo, biome, buf, deno or the node package),
# the compiled JavaScript, a non-root user, and tini as PID 1 (signals reach Node, zombies reaped).
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
COPY --from=prune /repo/out/json/ ./
COPY packages/kit/scripts/patch-postgres-driver.mjs packages/kit/scripts/patch-connect-calls.mjs packages/kit/scripts/
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /deploy/ ./
# Volumes mounted here start with these owners: blobs, the auth signing key, the service-token key.
RUN mkdir -p /data/blobs /keys && chown -R node:node /data /keys
USER node
ENV HOST=0.0.0.0 \
    DATA_DIR=/data \
    NODE_OPTIONS="--enable-source-maps --max-semi-space-size=32"
WORKDIR /app/packages/${SERVICE}
EXPOSE 8080 8081 8082 8083 8084
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/main.js"]

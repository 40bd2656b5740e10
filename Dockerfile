# One image for every service; docker-compose.yml picks the service with `command`.
#   docker build -t instagram-clone .
#   docker run --rm -e PORT=8080 instagram-clone npx tsx packages/gateway/src/main.ts

# Only the manifests, so `npm ci` below is cached until a package.json or the lockfile changes.
FROM node:24-slim AS manifests
WORKDIR /app
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json ! -name .npmrc -delete \
  && find . -type d -empty -delete

FROM node:24-slim
WORKDIR /app
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
COPY --from=manifests /app ./
# TypeScript runs directly with tsx (a devDependency): no build step, so no --omit=dev.
RUN npm ci && npm cache clean --force
COPY . .
# Volumes mounted here start with these owners: blobs and the auth signing key.
RUN mkdir -p /data/blobs && chown -R node:node /data
USER node
ENV HOST=0.0.0.0 \
    DATA_DIR=/data \
    NODE_OPTIONS="--enable-source-maps --max-semi-space-size=32"
EXPOSE 8080 8081 8082 8083 8084
CMD ["npx", "tsx", "packages/gateway/src/main.ts"]

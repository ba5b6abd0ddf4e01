# zoom-scim container image: compiled JavaScript on Node 20, running as the unprivileged `node` user.
#
#   docker build -t zoom-scim .
#   docker run -p 8080:8080 -v zoom-scim-data:/data \
#     -e ZOOM_ACCOUNT_ID=… -e ZOOM_CLIENT_ID=… -e ZOOM_CLIENT_SECRET=… -e SCIM_BEARER_TOKEN=… zoom-scim
#
# Without Zoom credentials the server starts in sandbox mode against its built-in Zoom simulator.
# `npm start` runs the TypeScript sources with tsx for development; this image runs the compiled dist/.

# ---- build: install every dependency, compile better-sqlite3 from source, compile TypeScript -------------
FROM node:20-bookworm-slim AS build

# node-gyp needs Python, make and a C++ compiler to build better-sqlite3's native addon.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*

# Build native addons from source (no prebuilt binary download), against the headers that ship with the
# image's own Node in /usr/local/include/node (no header download either).
ENV npm_config_build_from_source=true \
    npm_config_nodedir=/usr/local \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false

WORKDIR /app

# Dependencies first, so the layer is reused while package*.json stay the same.
COPY package.json package-lock.json ./
RUN npm ci

COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# tsc -p tsconfig.build.json → dist/, then drop the development dependencies (tsx, typescript, eslint, …).
RUN npm run build \
 && npm prune --omit=dev \
 && npm cache clean --force

# ---- runtime: node_modules (production only) and dist ---------------------------------------------------
FROM node:20-bookworm-slim AS runtime

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    ZOOM_SCIM_DB=/data/zoom-scim.sqlite

WORKDIR /app

# The SQLite store lives in /data; owned by `node` so that a named volume mounted there (which copies the
# directory's ownership on first use) is writable.
RUN mkdir -p /data && chown node:node /data

# package.json carries "type": "module", which Node needs to load dist/ as ES modules.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist

USER node

EXPOSE 8080

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "dist/cli/main.js", "serve"]

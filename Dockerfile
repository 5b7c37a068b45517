# syntax=docker/dockerfile:1
# The same steps as README: npm ci (which compiles src/ into dist/), npm run index, npm start.

FROM node:24-bookworm-slim AS build
WORKDIR /app
# hnswlib-node compiles a native addon during npm ci.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json ./
# `npm ci` runs the `prepare` script, which bundles src/ into dist/ (esbuild): the sources come first,
# and stay: the pages' assets are read from src/channels/*/public.
COPY src ./src
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund
COPY corpus ./corpus
# Build the index into the image, so a container answers as soon as it starts.
# (--ignore-scripts: pruning must not run `prepare` again once esbuild is gone.)
RUN npm run index && npm prune --omit=dev --ignore-scripts

FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=3000 INDEX_DIR=/app/data/index
WORKDIR /app
COPY --from=build --chown=node:node /app /app
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# The server is the container's own process (PID 1), with no npm or shell in between: the
# runtime's SIGTERM reaches it, and it drains the answers in flight before exiting (README,
# "Shutdown"). It installs its own SIGTERM/SIGINT handlers and starts no child processes, so it
# needs no init; `docker run --init` adds one anyway if you prefer.
# The runtime's grace period must exceed the drain (SHUTDOWN_GRACE_MS, 10 s): docker stop's default, 10 s, does
# not; use `docker stop -t 30` (or stop_grace_period / terminationGracePeriodSeconds: 30).
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]

# syntax=docker/dockerfile:1
# Parley: API and worker image. Multi-stage: compile TypeScript with every dependency, then ship
# dist/ and production dependencies only, run by the unprivileged `node` user, without a TypeScript loader.

FROM node:20.20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 downloads a prebuilt binary; the toolchain is the fallback when none matches
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY sandbox ./sandbox
COPY reference ./reference
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20.20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
# the embedded SQLite store (when PARLEY_DATABASE_URL is not a postgres:// URL) lives here
RUN mkdir -p /app/.parley && chown node:node /app/.parley
VOLUME ["/app/.parley"]
USER node
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# the CLI in the image: docker compose exec api node bin/parley.js --help
CMD ["node", "dist/src/main.js"]

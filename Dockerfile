# syntax=docker/dockerfile:1
#
# Production image of the clinic platform.
#   docker build -t clinic-platform .
#   docker run -e DATABASE_URL=… -e REDIS_URL=… -e BASE_DOMAIN=… -e JWT_SECRET=… -p 3000:3000 clinic-platform
#
# DATABASE_URL must be set: the image is meant to run against a PostgreSQL server you provide (see
# docker-compose.yml). Without it the app would try to start the embedded development Postgres, which
# is not supported here (it would need a writable ./.data as the non-root `node` user).
# JWT_SECRET (32+ characters) is required because NODE_ENV=production.
# Manage clinics inside the container with:  node dist/scripts/tenant.js <verb> …
# (not `npm run tenant`, which compiles first and needs the dev dependencies). Backups go to /backups
# (BACKUP_DIR): mount a volume there, as docker-compose.yml does.

# ---- build: compile TypeScript to dist/ -------------------------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
RUN npm run build

# ---- runtime: production dependencies, compiled code, templates, static files, migrations ------
FROM node:20-bookworm-slim AS runtime
# `tenant backup` and `drop` run pg_dump, which must be at least the server's major version: the
# client comes from the PostgreSQL project's own Debian repository (PGDG). Keep PG_MAJOR equal to the
# server's (docker-compose.yml runs postgres:16).
ARG PG_MAJOR=16
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates postgresql-common \
 && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
 && apt-get install -y --no-install-recommends "postgresql-client-${PG_MAJOR}" \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /backups && chown node:node /backups
ENV NODE_ENV=production
ENV BACKUP_DIR=/backups
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY views ./views
COPY locales ./locales
COPY public ./public
COPY migrations ./migrations

USER node
EXPOSE 3000
# /healthz answers on any Host header; PORT defaults to 3000.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node runs as PID 1 and handles SIGTERM itself: in-flight requests finish, then it exits (at most 15 s).
CMD ["node", "dist/src/main.js"]

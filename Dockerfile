# syntax=docker/dockerfile:1
#
# Kurt's services, and compose's one-shot jobs, from one image. The build
# stage bundles Kurt's TypeScript (scripts/bundle-image.ts); the runtime
# image holds those bundles, the production node_modules of the services and
# the SQL migrations, and runs as the unprivileged `node` user. One target
# per role, all sharing the runtime's layers (they differ only in CMD):
#
#   shortener, resolver, clicklog   a service; HEALTHCHECK asks its grpc.health.v1
#   migrate                         services/*/migrations on the primary (KURT_PG_PRIMARY_URL)
#   kafka-topics                    Kurt's Kafka topics with their partitions (KURT_KAFKA_BROKERS)
#   admin-key                       the first admin API key, into /var/lib/kurt/admin-api-key (a volume)
#
# and one more, not Node: `patroni`, compose's Postgres members (Debian's
# postgresql-15 and patroni, as ./kurt up runs them; docs/adr/0024).
#
# compose.yaml builds each with `target:`; by hand, for instance:
#   docker build --target resolver -t kurt-resolver .
# `runtime` itself has no command: `docker run IMAGE node /app/services/resolver/dist/main.mjs`.

ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# The production dependencies of the three services (the bundles leave npm
# packages outside). Only package manifests are copied, so this layer is
# rebuilt when dependencies change, not when code does. Every workspace's
# manifest is needed: npm ci checks the lockfile against all of them.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY gateway/package.json gateway/
COPY packages/api-keys/package.json packages/api-keys/
COPY packages/contract/package.json packages/contract/
COPY packages/core/package.json packages/core/
COPY packages/geoip/package.json packages/geoip/
COPY packages/jobs/package.json packages/jobs/
COPY packages/platform/package.json packages/platform/
COPY packages/topology/package.json packages/topology/
COPY sdk/ts/package.json sdk/ts/
COPY services/clicklog/package.json services/clicklog/
COPY services/resolver/package.json services/resolver/
COPY services/shortener/package.json services/shortener/
COPY tools/kurt/package.json tools/kurt/
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
      --workspace=@kurt/shortener --workspace=@kurt/resolver --workspace=@kurt/clicklog --workspace=@kurt/jobs \
  && npm cache clean --force

# Everything, dev tools included (tsx, esbuild), to bundle the sources.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY --from=deps /app/ ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json ./
COPY scripts/bundle-image.ts scripts/
COPY gateway/ gateway/
COPY packages/ packages/
COPY services/ services/
COPY tools/kurt/src/bundles.ts tools/kurt/src/
RUN node --import tsx scripts/bundle-image.ts /out \
  && for dir in services/*/migrations; do mkdir -p "/out/$dir" && cp -R "$dir/." "/out/$dir/"; done

FROM ${NODE_IMAGE} AS runtime
# gRPC on every interface: Envoy and Prometheus reach it from other containers.
ENV NODE_ENV=production KURT_GRPC_HOST=0.0.0.0
WORKDIR /app
COPY --from=deps --chown=root:root /app/ ./
COPY --from=build --chown=root:root /out/ ./
# The code belongs to root and is only read; the process runs unprivileged.
# /var/lib/kurt is the admin-key job's volume: a new named volume takes this owner.
RUN mkdir -p /var/lib/kurt && chown node:node /var/lib/kurt && chmod 0700 /var/lib/kurt
USER node
# The service in this container, by grpc.health.v1 on KURT_GRPC_PORT: exit 0 only when SERVING.
HEALTHCHECK --interval=5s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "/app/packages/jobs/dist/healthcheck.mjs"]

FROM runtime AS migrate
HEALTHCHECK NONE
CMD ["node", "/app/packages/jobs/dist/migrate.mjs"]

FROM runtime AS admin-key
HEALTHCHECK NONE
CMD ["node", "/app/services/shortener/dist/admin-key.mjs"]

FROM runtime AS kafka-topics
HEALTHCHECK NONE
CMD ["node", "/app/packages/jobs/dist/kafka-topics.mjs"]

FROM runtime AS shortener
CMD ["node", "/app/services/shortener/dist/main.mjs"]

FROM runtime AS resolver
CMD ["node", "/app/services/resolver/dist/main.mjs"]

FROM runtime AS clicklog
CMD ["node", "/app/services/clicklog/dist/main.mjs"]

# compose.yaml's Postgres members, and its postgres-init job: Debian 12's
# postgresql-15 and patroni 3.0.2, the packages ./kurt up runs (ADR 24).
# Patroni's settings are compose's `patroni` config, mounted at
# /etc/patroni/patroni.yml; each member's name, addresses and passwords come
# from its environment. No "main" cluster is created at install: Patroni
# makes the only data folder, under the volume at /var/lib/postgresql/data;
# the socket is in /var/run/postgresql.
FROM debian:12-slim AS patroni
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends postgresql-common; \
    sed -ri 's/^#?[[:space:]]*create_main_cluster[[:space:]]*=.*$/create_main_cluster = false/' \
      /etc/postgresql-common/createcluster.conf; \
    grep -qx 'create_main_cluster = false' /etc/postgresql-common/createcluster.conf; \
    apt-get install -y --no-install-recommends postgresql-15 'patroni=3.0.2-*' python3-etcd curl; \
    rm -rf /var/lib/apt/lists/*; \
    install -d -o postgres -g postgres -m 0700 /var/lib/postgresql/data; \
    install -d -o postgres -g postgres -m 2775 /var/run/postgresql
ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
USER postgres
WORKDIR /var/lib/postgresql
# Patroni as PID 1 forwards signals to its worker and reaps orphans itself.
CMD ["patroni", "/etc/patroni/patroni.yml"]

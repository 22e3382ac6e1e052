# One image for the three processes; docker-compose.yml picks the command per service:
#   node dist/scripts/ticket-api.js | node dist/scripts/knowledge-api.js | node dist/scripts/worker.js
#   node dist/scripts/setup.js setup   (migrations, admin user, bucket, Kafka topics; one-shot)
# No HEALTHCHECK here: docker-compose.yml defines the health checks per service.

# ---- build: compile TypeScript, then drop dev dependencies ------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: compiled code + production node_modules, non-root ------------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0
WORKDIR /app

# Files stay owned by root (read-only for the app); the process runs as the image's `node` user.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
# dist/workflows must be present: the worker bundles it (webpack, from @temporalio/worker) at start.
COPY --from=build /app/dist ./dist

USER node
EXPOSE 8000 8001
CMD ["node", "dist/scripts/ticket-api.js"]

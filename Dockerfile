# Worker and client image. Three stages: the build stage compiles the TypeScript to dist/ and
# prebuilds the workflow bundle (`npm run build`); the runtime stage carries only production
# packages and dist/, runs plain `node` (no tsx, no webpack at start) as an unprivileged user.
FROM node:20.19.5-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
# tsc compiles only what the worker and the client import (tsconfig.build.json), so the whole
# context (less .dockerignore) can come in without listing folders.
COPY . .
RUN npm run build

FROM node:20.19.5-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20.19.5-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/dist ./dist
USER node
EXPOSE 8010 9464
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.HEALTH_PORT||8010)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/worker/main.js"]

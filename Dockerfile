# Worker and client image. Two stages: dependencies are installed where the build tools are, and
# the runtime stage carries only production packages and the sources, run by an unprivileged user.
FROM node:20.19.5-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20.19.5-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY common ./common
COPY config ./config
COPY activities ./activities
COPY watttime ./watttime
COPY regions ./regions
COPY workflows ./workflows
COPY worker ./worker
COPY client ./client
USER node
EXPOSE 8010 9464
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.HEALTH_PORT||8010)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--import", "tsx", "worker/main.ts"]

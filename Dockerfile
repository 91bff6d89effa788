# The hub (and, with `node --import tsx server/healer/main.ts` or `server/runner/main.ts`, the
# healer or a runner) from this checkout.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# Inside a container, listen on every address (outside, the default is loopback only).
ENV HOST=0.0.0.0
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY contracts ./contracts
COPY server ./server
COPY dashboard ./dashboard
RUN npm run build
# The healer keeps its state here (a volume in docker-compose.dev.yml).
RUN mkdir -p /data && chown node /data
USER node
EXPOSE 8787
CMD ["node", "--import", "tsx", "server/main.ts"]

# The hub (and, with another command, the healer) from this checkout.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY contracts ./contracts
COPY server ./server
USER node
EXPOSE 8787
CMD ["node", "--import", "tsx", "server/main.ts"]

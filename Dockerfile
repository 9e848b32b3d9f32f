# The CI sidecar: the same CLI, listening on every interface inside the container.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json ./
COPY src ./src
COPY models ./models
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY models ./models
COPY package.json ./
ENV LOCALAWS_HOST=0.0.0.0 LOCALAWS_PORT=4566
EXPOSE 4566
USER node
ENTRYPOINT ["node", "dist/cli.js"]

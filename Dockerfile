# The app image: the server plus the built designer. Secrets come from the environment at run time.
FROM node:20-bookworm
RUN apt-get update -qq && apt-get install -y -qq build-essential python3 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build:designer
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
EXPOSE 3000
CMD ["npx", "tsx", "server/main.ts"]

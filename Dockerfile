# Two images from one file. The default (last) stage is the app: the server plus the built designer;
# secrets come from the environment at run time. `--target zeebe` is the Zeebe broker with the Yishi
# exporter (exporter/) that Zeebe mode reads instances from (docs/zeebe.md).
FROM maven:3.9-eclipse-temurin-21 AS exporter
WORKDIR /build
COPY exporter/pom.xml ./
RUN mvn -q dependency:go-offline
COPY exporter/src ./src
RUN mvn -q -o package

FROM camunda/zeebe:8.6.0 AS zeebe
COPY --from=exporter /build/target/yishi-zeebe-exporter.jar /usr/local/zeebe/exporters/yishi-zeebe-exporter.jar
ENV ZEEBE_BROKER_EXPORTERS_YISHI_CLASSNAME=yishi.exporter.YishiExporter \
    ZEEBE_BROKER_EXPORTERS_YISHI_JARPATH=/usr/local/zeebe/exporters/yishi-zeebe-exporter.jar \
    ZEEBE_BROKER_EXPORTERS_YISHI_ARGS_HOST=0.0.0.0 \
    ZEEBE_BROKER_EXPORTERS_YISHI_ARGS_PORT=9650

FROM node:20-bookworm AS app
RUN apt-get update -qq && apt-get install -y -qq build-essential python3 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build:designer
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
EXPOSE 3000
CMD ["npx", "tsx", "server/main.ts"]

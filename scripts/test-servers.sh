#!/usr/bin/env bash
# Installs the real servers the test suite runs the production adapters against, into .servers/
# (git-ignored); does nothing for those already there. Run by `npm test` (pretest) and .ci/run.
#   FerretDB 1.x (MongoDB wire protocol, embedded SQLite handler), built from the Go module proxy.
#   Zeebe 8.6 (broker with embedded gateway), the io.camunda:camunda-zeebe distribution from Maven Central,
#   unpacked into .servers/zeebe-<version>; .servers/zeebe points at the one the tests use.
#   The Yishi exporter (exporter/, Java, Maven) into exporter/target/, rebuilt when its sources change.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .servers
FERRETDB_VERSION=v1.24.0
# The newest Zeebe on Maven Central (8.5.8 was the last 8.5; 8.6.0 is the only 8.6 published there).
ZEEBE_VERSION=8.6.0

if [ ! -x .servers/ferretdb ]; then
  command -v go >/dev/null || { echo "test-servers: Go is needed to build FerretDB (https://go.dev/dl/)" >&2; exit 1; }
  echo "test-servers: building FerretDB $FERRETDB_VERSION" >&2
  work=$(mktemp -d)
  (cd "$work" && go mod init servers >/dev/null 2>&1 && go get "github.com/FerretDB/FerretDB/cmd/ferretdb@$FERRETDB_VERSION" >/dev/null 2>&1)
  src=$(cd "$work" && go list -m -f '{{.Dir}}' github.com/FerretDB/FerretDB)
  cp -r "$src" "$work/src" && chmod -R u+w "$work/src"
  # The module zip carries no version file; FerretDB refuses to start without one.
  echo "$FERRETDB_VERSION" > "$work/src/build/version/version.txt"
  (cd "$work/src" && go build -o "$OLDPWD/.servers/ferretdb" ./cmd/ferretdb)
  rm -rf "$work"
fi

zeebe=".servers/zeebe-$ZEEBE_VERSION"
if [ ! -x "$zeebe/bin/broker" ]; then
  command -v mvn >/dev/null || { echo "test-servers: Maven and Java 21+ are needed for the Zeebe broker" >&2; exit 1; }
  echo "test-servers: fetching Zeebe $ZEEBE_VERSION" >&2
  work=$(mktemp -d)
  mvn -q dependency:copy -Dartifact="io.camunda:camunda-zeebe:$ZEEBE_VERSION:tar.gz" -DoutputDirectory="$work"
  mkdir -p "$zeebe"
  tar -xzf "$work/camunda-zeebe-$ZEEBE_VERSION.tar.gz" -C "$zeebe" --strip-components=1
  rm -rf "$work"
fi
if [ "$(readlink .servers/zeebe 2>/dev/null)" != "zeebe-$ZEEBE_VERSION" ]; then
  rm -rf .servers/zeebe
  ln -s "zeebe-$ZEEBE_VERSION" .servers/zeebe
fi

# The exporter is compiled against the broker's Exporter SPI, which needs a JDK 21 or newer.
jar=exporter/target/yishi-zeebe-exporter.jar
if [ ! -f "$jar" ] || [ -n "$(find exporter/pom.xml exporter/src -newer "$jar" 2>/dev/null)" ]; then
  jdk=$(ls -d /usr/lib/jvm/*/ 2>/dev/null | while read -r d; do v=$(basename "$d" | sed -E 's/^java-1\./java-/' | grep -oE '[0-9]+' | head -1); [ "${v:-0}" -ge 21 ] && [ -x "$d/bin/javac" ] && echo "$v $d"; done | sort -rn | head -1 | cut -d' ' -f2)
  echo "test-servers: building the Yishi exporter for Zeebe $ZEEBE_VERSION" >&2
  JAVA_HOME="${jdk:-${JAVA_HOME:-}}" mvn -q -f exporter/pom.xml -Dzeebe.version="$ZEEBE_VERSION" package
fi

# The Java job worker (test/java/job-worker, Camunda's Java client from Maven Central), test code
# only: compiled with its class path written beside it, rebuilt when its sources change.
worker=test/java/job-worker
if [ ! -f "$worker/target/classpath.txt" ] || [ -n "$(find "$worker/pom.xml" "$worker/src" -newer "$worker/target/classpath.txt" 2>/dev/null)" ]; then
  echo "test-servers: building the Java job worker" >&2
  mvn -q -f "$worker/pom.xml" package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
fi

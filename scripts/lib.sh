# Shared by .ci/run and ./switchboard: find a JDK >= 21, make sure PostgreSQL and Redis answer.

pick_jdk() {
  local candidate version
  local on_path="" mac=""
  # the java on PATH (its java.home), macOS's registry of JDKs, then the usual folders of Linux and macOS
  if command -v java >/dev/null 2>&1; then
    on_path=$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.home/ {print $2; exit}')
  fi
  [ -x /usr/libexec/java_home ] && mac=$(/usr/libexec/java_home -v 21+ 2>/dev/null || true)
  for candidate in "${JAVA_HOME:-}" "$mac" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 "$on_path" \
      /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    version=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
    if [ "${version%%.*}" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "error: no JDK 21 or newer found (looked at \$JAVA_HOME, the java on PATH, /usr/lib/jvm and /Library/Java). Install one, e.g. Temurin 21 or apt-get install openjdk-21-jdk-headless" >&2
  return 1
}

pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }

ensure_postgres() {
  if pg_up; then echo "PostgreSQL is up"; return 0; fi
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "PostgreSQL is not installed: installing it"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  local version
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  # the tests and local runs connect as postgres over TCP without a password
  local hba="/etc/postgresql/$version/main/pg_hba.conf"
  if ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
    sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_up && { echo "PostgreSQL started"; return 0; }; sleep 1; done
  echo "error: PostgreSQL did not start. Start it with: pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start" >&2
  return 1
}

redis_up() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; }

ensure_redis() {
  if redis_up; then echo "Redis is up"; return 0; fi
  if ! command -v redis-server >/dev/null; then
    echo "Redis is not installed: installing it"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  fi
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  for _ in $(seq 1 30); do redis_up && { echo "Redis started"; return 0; }; sleep 1; done
  echo "error: Redis did not start. Start it with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save \"\" --appendonly no" >&2
  return 1
}

#!/usr/bin/env bash
# A scaled-out Parley on this machine in one command: PostgreSQL and Redis (started here if they are
# not answering), two `api` processes and two `worker` processes sharing them. Ctrl-C stops the four
# Parley processes (and the Postgres/Redis this script started, not ones that were already running).
#
#   scripts/cluster.sh                 # api on :8081 and :8082
#   API_PORTS="9001 9002" WORKERS=3 scripts/cluster.sh
#
# Environment (all optional): PARLEY_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/parley_cluster,
# created if missing), PARLEY_REDIS_URL (default redis://127.0.0.1:6379), PARLEY_REDIS_PREFIX
# (default parley-cluster), PARLEY_SECRET_KEY (default: generated once into .parley/cluster.key),
# PARLEY_BOOTSTRAP_TOKEN (default: generated once into .parley/cluster.token), CLUSTER_LOG_DIR
# (default .parley/cluster-logs).
set -euo pipefail
cd "$(dirname "$0")/.."

API_PORTS=${API_PORTS:-"8081 8082"}
WORKERS=${WORKERS:-2}
PG_HOST=127.0.0.1
PG_PORT=5432
DB_URL=${PARLEY_DATABASE_URL:-postgres://postgres@$PG_HOST:$PG_PORT/parley_cluster}
REDIS_URL=${PARLEY_REDIS_URL:-redis://127.0.0.1:6379}
LOGS=${CLUSTER_LOG_DIR:-.parley/cluster-logs}
mkdir -p .parley "$LOGS"
started_services=()
pids=()

log() { printf 'cluster: %s\n' "$*" >&2; }

# --- PostgreSQL -----------------------------------------------------------------------------
if ! pg_isready -h "$PG_HOST" -p "$PG_PORT" -q 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null && ls /etc/postgresql/*/main >/dev/null 2>&1; then
    version=$(ls /etc/postgresql | sort -n | tail -1)
    log "starting PostgreSQL $version (pg_ctlcluster)"
    pg_ctlcluster "$version" main start
    started_services+=("pg_ctlcluster $version main stop")
  elif command -v docker >/dev/null && docker info >/dev/null 2>&1; then
    log "starting PostgreSQL in Docker"
    docker run -d --rm --name parley-cluster-pg -p "$PG_PORT:5432" -e POSTGRES_HOST_AUTH_METHOD=trust postgres:16 >/dev/null
    started_services+=("docker stop parley-cluster-pg")
  else
    log "PostgreSQL is not answering on $PG_HOST:$PG_PORT and cannot be started here"; exit 1
  fi
  for _ in $(seq 1 60); do pg_isready -h "$PG_HOST" -p "$PG_PORT" -q && break; sleep 0.5; done
fi
if [[ -z "${PARLEY_DATABASE_URL:-}" ]]; then
  psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -tAc "select 1 from pg_database where datname = 'parley_cluster'" | grep -q 1 \
    || psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -qc "create database parley_cluster"
fi

# --- Redis ----------------------------------------------------------------------------------
redis_host_port=${REDIS_URL#*://}; redis_host_port=${redis_host_port#*@}; redis_host_port=${redis_host_port%%/*}
redis_host=${redis_host_port%%:*}; redis_port=${redis_host_port##*:}; [[ "$redis_port" == "$redis_host" ]] && redis_port=6379
if ! timeout 3 redis-cli -h "$redis_host" -p "$redis_port" ping >/dev/null 2>&1; then
  log "starting redis-server on $redis_host:$redis_port"
  redis-server --port "$redis_port" --bind "$redis_host" --daemonize yes --save '' --appendonly no \
    --pidfile "$PWD/.parley/cluster-redis.pid" --logfile "$(cd "$LOGS" && pwd)/redis.log"
  started_services+=("redis-cli -h $redis_host -p $redis_port shutdown nosave")
  for _ in $(seq 1 40); do timeout 3 redis-cli -h "$redis_host" -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.25; done
fi

# --- shared settings ------------------------------------------------------------------------
[[ -f .parley/cluster.key ]] || node -e "process.stdout.write(require('crypto').randomBytes(32).toString('hex'))" > .parley/cluster.key
[[ -f .parley/cluster.token ]] || node -e "process.stdout.write('clu_' + require('crypto').randomBytes(24).toString('hex'))" > .parley/cluster.token
export PARLEY_DATABASE_URL="$DB_URL"
export PARLEY_REDIS_URL="$REDIS_URL"
export PARLEY_REDIS_PREFIX=${PARLEY_REDIS_PREFIX:-parley-cluster}
export PARLEY_SECRET_KEY=${PARLEY_SECRET_KEY:-$(cat .parley/cluster.key)}
export PARLEY_BOOTSTRAP_TOKEN=${PARLEY_BOOTSTRAP_TOKEN:-$(cat .parley/cluster.token)}
# one shared database: the built-in sandbox (simulators per process) stays off
export PARLEY_SANDBOX=false

stop() {
  trap - INT TERM EXIT
  log "stopping"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  for ((i=${#started_services[@]}-1; i>=0; i--)); do eval "${started_services[$i]}" >/dev/null 2>&1 || true; done
}
trap 'stop; exit 130' INT TERM
trap stop EXIT

for port in $API_PORTS; do
  PORT=$port HOST=127.0.0.1 PARLEY_ROLE=api node --import tsx src/main.ts >"$LOGS/api-$port.log" 2>&1 &
  pids+=($!)
done
for i in $(seq 1 "$WORKERS"); do
  node --import tsx src/cli/main.ts worker >"$LOGS/worker-$i.log" 2>&1 &
  pids+=($!)
done

for port in $API_PORTS; do
  for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.5; done
  curl -fs "http://127.0.0.1:$port/health" >/dev/null || { log "api on :$port did not start; see $LOGS/api-$port.log"; exit 1; }
done

echo "Parley cluster: $(echo $API_PORTS | wc -w) api + $WORKERS worker processes, database $DB_URL, Redis $REDIS_URL (prefix $PARLEY_REDIS_PREFIX)"
for port in $API_PORTS; do echo "  api:    http://127.0.0.1:$port   (docs: http://127.0.0.1:$port/docs)"; done
echo "  token:  $PARLEY_BOOTSTRAP_TOKEN"
echo "  logs:   $LOGS/"
echo "Ctrl-C stops everything this script started."
wait -n "${pids[@]}" || true
log "a process exited; stopping the cluster"

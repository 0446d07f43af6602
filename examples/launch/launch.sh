#!/usr/bin/env bash
# Starts the three parties of a FastCrypt4J job, one process each: on three hosts over ssh, or on this host.
#
#   examples/launch/launch.sh --hosts host0,host1,host2 [--user U] [--ssh-key FILE] [--workdir DIR] [--port P] \
#       [--run-dir DIR] -- [party options: --job train|infer --net lenet --pool max --limit 0 ...]
#   examples/launch/launch.sh --local [--port P] [--run-dir DIR] -- [party options]
#   examples/launch/launch.sh --service --clients clients.conf (--hosts h0,h1,h2 ... | --local) [--run-dir DIR] \
#       [-- server options: --checkpoints DIR ...]
#   examples/launch/launch.sh --stop --run-dir DIR
#
# Remote mode (the counterpart of FastCryptGPU's launch_distributed.sh): every host must have a checkout of this
# repository at --workdir (default: the same path as here) with Java and Maven (./fastcrypt4j builds on first use).
# Each party generates its own key pair on its own host (the private key never leaves it: `fastcrypt4j keygen`),
# the launcher collects the public lines into parties.conf, copies it to every host, and starts
# `./fastcrypt4j party --id i` on host i over ssh. Party i listens on UDP --port (default 40100) of host i.
# Local mode runs the same three processes on 127.0.0.1 (ports P, P+1, P+2), keys in the run directory.
# Logs: RUN_DIR/party-i.log (default RUN_DIR: ./.fastcrypt4j/runs/<timestamp>). Exits non-zero if any party failed.
# Service mode starts three long-running `fastcrypt4j server` processes instead (clients are elsewhere: model owners,
# data owners and queriers run `fastcrypt4j client ... --servers RUN_DIR/parties.conf`), copies the clients file
# to the hosts, and returns once the servers listen; `--stop --run-dir DIR` stops them.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
hosts="" user="" ssh_key="" workdir="$here" port=40100 local_mode=0 run_dir="" service=0 clients="" stop=0
while [ $# -gt 0 ]; do
  case "$1" in
    --hosts) hosts="$2"; shift 2 ;;
    --user) user="$2"; shift 2 ;;
    --ssh-key) ssh_key="$2"; shift 2 ;;
    --workdir) workdir="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --run-dir) run_dir="$2"; shift 2 ;;
    --local) local_mode=1; shift ;;
    --service) service=1; shift ;;
    --clients) clients="$2"; shift 2 ;;
    --stop) stop=1; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "launch.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
job_args=("$@")
if [ "$stop" = 1 ]; then
  [ -n "$run_dir" ] || { echo "launch.sh: --stop needs --run-dir" >&2; exit 2; }
  for i in 0 1 2; do
    if [ -f "$run_dir/server-$i.where" ]; then
      read -r where pid < "$run_dir/server-$i.where"
      if [ "$where" = local ]; then kill "$pid" 2>/dev/null || true; else ssh -o BatchMode=yes "$where" "kill $pid" || true; fi
      echo "launch.sh: stopped server $i"
    fi
  done
  exit 0
fi
run_dir="${run_dir:-$here/.fastcrypt4j/runs/$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$run_dir"
run_dir="$(cd "$run_dir" && pwd)"
if [ "$service" = 1 ]; then
  [ -f "$clients" ] || { echo "launch.sh: --service needs --clients FILE (the clients file: name roles public-key)" >&2; exit 2; }
  cp "$clients" "$run_dir/clients.conf"
fi

pids=()
cleanup() { for p in "${pids[@]:-}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup INT TERM

if [ "$local_mode" = 1 ]; then
  (cd "$here" && ./fastcrypt4j --help >/dev/null)   # build once before three processes race to
  : > "$run_dir/parties.conf"
  for i in 0 1 2; do
    (cd "$here" && ./fastcrypt4j keygen --reuse --out "$run_dir/keys" --party "$i" --host 127.0.0.1 --port $((port + i))) \
      2>/dev/null >> "$run_dir/parties.conf"
  done
  # three JVMs share this host: a third of the single-JVM memory caps each (see ./fastcrypt4j), unless set
  export FC4J_JAVA_OPTS="${FC4J_JAVA_OPTS:--Xmx2g -Dorg.bytedeco.javacpp.maxbytes=3g -Dorg.bytedeco.javacpp.maxphysicalbytes=5g}"
  if [ "$service" = 1 ]; then
    for i in 0 1 2; do
      (cd "$here" && nohup ./fastcrypt4j server --id "$i" --config "$run_dir/parties.conf" --clients \
        "$run_dir/clients.conf" --keys "$run_dir/keys" "${job_args[@]}" > "$run_dir/server-$i.log" 2>&1 &
       echo "local $!" > "$run_dir/server-$i.where")
    done
  else
  for i in 0 1 2; do
    (cd "$here" && exec ./fastcrypt4j party --id "$i" --config "$run_dir/parties.conf" --keys "$run_dir/keys" \
      "${job_args[@]}") > "$run_dir/party-$i.log" 2>&1 &
    pids+=($!)
  done
  fi
else
  IFS=, read -r -a host_list <<< "$hosts"
  if [ "${#host_list[@]}" -ne 3 ]; then
    echo "launch.sh: --hosts needs three hosts, got '${hosts}'" >&2; exit 2
  fi
  ssh_opts=(-o BatchMode=yes -o ConnectTimeout=10)
  [ -n "$ssh_key" ] && ssh_opts+=(-i "$ssh_key")
  target() { if [ -n "$user" ]; then echo "$user@$1"; else echo "$1"; fi; }
  : > "$run_dir/parties.conf"
  for i in 0 1 2; do
    h="${host_list[$i]}"
    ssh "${ssh_opts[@]}" "$(target "$h")" "cd '$workdir' && ./fastcrypt4j keygen --reuse --out '$workdir/.fastcrypt4j/keys' \
      --party $i --host $h --port $port" 2>/dev/null >> "$run_dir/parties.conf"
  done
  for i in 0 1 2; do
    h="${host_list[$i]}"
    scp "${ssh_opts[@]}" "$run_dir/parties.conf" "$(target "$h"):$workdir/.fastcrypt4j/parties.conf" >/dev/null
  done
  quoted_args="$(printf "'%s' " "${job_args[@]}")"
  if [ "$service" = 1 ]; then
    for i in 0 1 2; do
      h="${host_list[$i]}"
      scp "${ssh_opts[@]}" "$run_dir/clients.conf" "$(target "$h"):$workdir/.fastcrypt4j/clients.conf" >/dev/null
      pid=$(ssh "${ssh_opts[@]}" "$(target "$h")" "cd '$workdir' && nohup ./fastcrypt4j server --id $i \
        --config '$workdir/.fastcrypt4j/parties.conf' --clients '$workdir/.fastcrypt4j/clients.conf' \
        --keys '$workdir/.fastcrypt4j/keys' $quoted_args > '$workdir/.fastcrypt4j/server-$i.log' 2>&1 & echo \$!")
      echo "$(target "$h") $pid" > "$run_dir/server-$i.where"
    done
  else
  for i in 0 1 2; do
    h="${host_list[$i]}"
    ssh "${ssh_opts[@]}" "$(target "$h")" "cd '$workdir' && exec ./fastcrypt4j party --id $i \
      --config '$workdir/.fastcrypt4j/parties.conf' --keys '$workdir/.fastcrypt4j/keys' $quoted_args" \
      > "$run_dir/party-$i.log" 2>&1 &
    pids+=($!)
  done
  fi
fi

if [ "$service" = 1 ]; then
  echo "launch.sh: three servers started (parties file $run_dir/parties.conf; stop them with --stop --run-dir $run_dir)"
  echo "launch.sh: clients connect with: ./fastcrypt4j client train|provide|predict --servers $run_dir/parties.conf --name NAME --keys DIR ..."
  exit 0
fi

status=0
for i in 0 1 2; do
  if wait "${pids[$i]}"; then
    echo "launch.sh: party $i finished (log $run_dir/party-$i.log)"
  else
    code=$?
    status=1
    echo "launch.sh: party $i FAILED with status $code (log $run_dir/party-$i.log):" >&2
    tail -n 5 "$run_dir/party-$i.log" >&2
  fi
done
grep -h '^{"job"' "$run_dir"/party-*.log || true
exit "$status"

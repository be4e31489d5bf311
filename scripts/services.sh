#!/usr/bin/env bash
# Makes sure PostgreSQL (and RabbitMQ, for later issues) answer on 127.0.0.1, starting them if
# they are stopped. Sourced or run by run.sh, test.sh and .ci/run. Fails with a message that
# says how to fix it when a service is not installed.
set -euo pipefail

wait_for() { # name, command
  for _ in $(seq 1 60); do
    if eval "$2" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "services: $1 did not become ready within 30 s" >&2
  return 1
}

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if ! command -v pg_ctlcluster >/dev/null 2>&1 && ! command -v service >/dev/null 2>&1; then
    echo "services: PostgreSQL is not running and not installed; install it with 'apt-get install -y postgresql'" >&2
    exit 1
  fi
  echo "services: starting PostgreSQL" >&2
  service postgresql start >/dev/null 2>&1 \
    || pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
  wait_for PostgreSQL "pg_isready -q -h 127.0.0.1 -p 5432"
fi

if command -v rabbitmq-server >/dev/null 2>&1 || [ -x /usr/sbin/rabbitmq-server ]; then
  if ! (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; then
    echo "services: starting RabbitMQ" >&2
    service rabbitmq-server start >/dev/null 2>&1 || rabbitmq-server -detached
    wait_for RabbitMQ "(exec 3<>/dev/tcp/127.0.0.1/5672)"
  fi
fi

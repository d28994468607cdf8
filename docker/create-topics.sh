#!/bin/bash
# Creates streamvl's topics on the compose broker, once, with the layout of
# io.streamvl.kafka.StreamvlTopics (partitions, retention, max.message.bytes; a test keeps the two
# equal). Existing topics are left as they are, so re-running compose changes nothing.
set -euo pipefail
BOOTSTRAP="${BOOTSTRAP:-kafka:19092}"

create() {
  local topic="$1" partitions="$2"
  shift 2
  local configs=()
  for c in "$@"; do configs+=(--config "$c"); done
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
    --topic "$topic" --partitions "$partitions" --replication-factor 1 "${configs[@]}"
}

create streamvl.segments 4 retention.ms=86400000 cleanup.policy=delete max.message.bytes=16777216
create streamvl.queries 2 retention.ms=604800000 cleanup.policy=delete
create streamvl.answers 2 retention.ms=2592000000 cleanup.policy=delete
create streamvl.events 2 retention.ms=604800000 cleanup.policy=delete
create streamvl.captions 2 retention.ms=2592000000 cleanup.policy=delete
create streamvl.alerts 2 retention.ms=2592000000 cleanup.policy=delete
create streamvl.dlq 1 retention.ms=604800000 cleanup.policy=delete max.message.bytes=16777216

/opt/kafka/bin/kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --list

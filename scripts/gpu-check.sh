#!/usr/bin/env bash
# GPU check, for a machine with an NVIDIA GPU, Java 17, Maven and Maven Central access.
# A few minutes: builds streamvl with TF Java's GPU native library (Maven profile gpu), then
#   1. runs the same random-weight decoder on CPU and GPU: logit agreement, greedy tokens, ms/token;
#   2. runs the LLM benchmark on the GPU beside the CPU;
#   3. where python3 has torch + transformers, checks our decoder, vision tower and compressor against
#      the PyTorch implementations on the same weights and input (scripts/hf-parity.py).
# TF Java 1.1.0 = TF 2.18: it dlopens CUDA 12 and cuDNN 9. Point LD_LIBRARY_PATH at them, e.g. the
# lib folders of the nvidia-*-cu12 pip wheels, or a CUDA 12 toolkit; CUDA 13 alone is not enough.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-$root/target/gpu-check}
mkdir -p "$out"
cd "$root"

command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv | tee "$out/gpu.txt"

echo "== build with the GPU native library"
mvn -q -B -ntp -Pgpu -DskipTests package
jar=jobs/target/streamvl-jobs.jar
cp="$jar:$(cat jobs/target/classpath.txt)"
run() { OPT_OUT_TRACKING=true java -Xmx8g -Dai.djl.offline=true -cp "$cp" io.streamvl.jobs.cli.StreamvlCli "$@"; }

echo "== CPU vs GPU: same decoder, same weights"
status=0
run model device-check --size small | tee "$out/device-check.json" || status=$?

echo "== LLM benchmark, GPU then CPU"
run bench llm --config small --json -D streamvl.model.device=gpu | tee "$out/bench-llm-gpu.json"
run bench llm --config small --json -D streamvl.model.device=cpu | tee "$out/bench-llm-cpu.json"

if python3 -c 'import torch, transformers' 2>/dev/null; then
  echo "== parity with Hugging Face transformers"
  python3 scripts/hf-parity.py all --streamvl-classpath "$cp" --out "$out/hf-parity" --device cuda | tee "$out/hf-parity.txt" || status=$?
else
  echo "== python3 with torch + transformers not found: HF parity not checked" | tee "$out/hf-parity.txt"
fi
exit $status

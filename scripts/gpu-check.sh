#!/usr/bin/env bash
# The one prepared device check of the GPU path (issue #14), run ON a machine with an NVIDIA GPU
# (e.g. a session lent an H200). It runs `learnability bench gpu --json` from the bundle, in
# parts so that a timeout still leaves results, and packs everything into $OUT/gpu-check.tar.gz.
#
# Prepare on the 2-core machine, from the worktree root (none of it goes into git):
#   bash /work/shared/gpu/bundle.sh .gpu                     # node + the built CLI, ~40 MB
#   echo .gpu >> "$(git rev-parse --git-dir)/info/exclude"
#   mkdir -p .gl && (cd .gl && apt-get download libvulkan1)  # the Vulkan loader, if the device lacks it
# Then one device call:  command "bash scripts/gpu-check.sh", carry [".gpu", ".gl"], timeout_s 540.
# Try the bundle here first, on the software adapter (about a minute), so no device time goes on a
# bundle that does not start:  GPU_CHECK_PARTS=mlp GPU_CHECK_ARGS=--quick OUT=/tmp/x bash scripts/gpu-check.sh
# Read gpu-check.tar.gz: env.txt (nvidia-smi, Vulkan ICDs, torch), backends.json, and per part
# bench-<part>.json (raw samples, the adapter, each row's training step and the fused-vs-generic
# agreement check — the fused kernel's correctness test on the device: vitest and the sources'
# node_modules are not in the bundle) with bench-<part>.err (the start lines, errors), and log.txt.
#
# Knobs (environment):
#   GPU_CHECK_PARTS   parts in order (default "mlp transformers replicas run"; "all" = one invocation)
#   GPU_CHECK_ARGS    extra bench gpu flags (default "--repeats 3 --steps 300 --transformer-steps 5")
#   GPU_CHECK_BUDGET  seconds for all parts together (default 420: a part never starts past it)
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=${OUT:-$(mktemp -d)}
res=$(mktemp -d)
t0=$(date +%s)
budget=${GPU_CHECK_BUDGET:-420}
args=${GPU_CHECK_ARGS:---repeats 3 --steps 300 --transformer-steps 5}
log() { echo "[gpu-check +$(($(date +%s) - t0))s] $*" | tee -a "$res/log.txt"; }
pack() { tar -C "$res" -czf "$out/gpu-check.tar.gz" . && log "packed $out/gpu-check.tar.gz"; }

[ -x .gpu/run-on-gpu.sh ] || [ -f .gpu/run-on-gpu.sh ] || { log "no .gpu/run-on-gpu.sh: build the bundle first (see the header)"; pack; exit 1; }

# Vulkan: the loader from .gl/ when the machine lacks it; the NVIDIA ICD when no driver is registered.
if ! ldconfig -p | grep -q libvulkan.so.1; then
  for f in .gl/*.deb; do [ -f "$f" ] && dpkg -x "$f" /; done
  ldconfig
fi
nvidia_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_DRIVER_FILES:-}" ] && [ -f "$nvidia_icd" ] && ! ls /usr/share/vulkan/icd.d/nvidia*.json /etc/vulkan/icd.d/nvidia*.json >/dev/null 2>&1; then
  export VK_DRIVER_FILES=$nvidia_icd
fi

# A Python whose torch sees CUDA, for the PyTorch reference (the CLI reports it skipped otherwise).
for py in python3 /usr/bin/python3 /usr/local/bin/python3 /opt/conda/bin/python3; do
  if "$py" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
    export LEARNABILITY_PYTHON=$py
    break
  fi
done
export LEARNABILITY_BENCH_DIR=$root/bench

{
  echo "## date"; date -u
  echo "## nvidia-smi"; nvidia-smi 2>&1 | head -20
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv 2>&1
  echo "## Vulkan"; ldconfig -p | grep libvulkan; echo "VK_DRIVER_FILES=${VK_DRIVER_FILES:-}"
  ls /usr/share/vulkan/icd.d /etc/vulkan/icd.d /usr/local/nvidia/share/vulkan/icd.d 2>&1
  echo "## python"; echo "LEARNABILITY_PYTHON=${LEARNABILITY_PYTHON:-none with CUDA}"
  for py in python3 /usr/bin/python3 /usr/local/bin/python3 /opt/conda/bin/python3; do
    echo "$py: $("$py" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.is_available())' 2>&1 | tail -1)"
  done
  echo "## cpu"; nproc; grep -m1 'model name' /proc/cpuinfo
} > "$res/env.txt" 2>&1
log "env: $(grep -A1 '^## python' "$res/env.txt" | tail -1)"

bash .gpu/run-on-gpu.sh backends --json > "$res/backends.json" 2> "$res/backends.err"
log "backends: $(cat "$res/backends.json" | head -c 600)"
pack

declare -A only=([mlp]=parity,mlp512,rcnn,rnn,matmul [transformers]=looped,standard [replicas]=replicas [run]=run [all]=parity,mlp512,replicas,looped,standard,rcnn,rnn,matmul,run)
for part in ${GPU_CHECK_PARTS:-mlp transformers replicas run}; do
  left=$((budget - ($(date +%s) - t0)))
  if [ "$left" -lt 30 ]; then log "skipping $part: budget spent"; continue; fi
  log "bench gpu --only ${only[$part]} $args (at most ${left}s)"
  # shellcheck disable=SC2086 # $args is a list of flags
  timeout "$left" bash .gpu/run-on-gpu.sh bench gpu --json --only "${only[$part]}" $args > "$res/bench-$part.json" 2> "$res/bench-$part.err"
  log "$part: exit $? — $(grep -v '^Warning: max' "$res/bench-$part.err" | head -4 | tr '\n' ' ')"
  pack
done
log "done"
pack

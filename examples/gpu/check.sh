#!/usr/bin/env bash
# Builds and runs the standalone CUDA check of the ring kernels (issue 13):
# nd4j-ring-ops/src/test/cuda/ring_kernels_harness.cu, which includes the very ring_kernels.cu /
# ring_arith.cuh that the Java side compiles with NVRTC, launches every kernel as CudaModule does and
# compares the results exactly with CPU references, then times the ring matmul against cuBLAS DGEMM.
# Needs bash and nvcc only: no Java, no Maven, no network. Works from any current directory.
#
#   examples/gpu/check.sh [--build-only] [--rebuild] [--ptx-jit] [harness options...]
#   examples/gpu/check.sh --emulate [--build-only] [--quick] [--seed N]
#
#   --build-only   compile only, exit 0 when the build succeeds
#   --rebuild      compile even if the binary is newer than its sources and was built with the same flags
#   --ptx-jit      run with CUDA_FORCE_PTX_JIT=1: the driver JIT-compiles the embedded PTX, as for the
#                  NVRTC PTX that the Java side loads, instead of running the prebuilt SASS
#   --emulate      instead of the GPU harness, build (g++, AddressSanitizer when available) and run the
#                  CPU emulation of the kernels, nd4j-ring-ops/src/test/cuda/ring_kernels_emu.cpp
#   other options go to the harness: --seed N, --quick, --no-bench, --bench-sizes 1024,4096,8192,
#                  --bench-reps R, --spot S, --device D, --self-test-cpu (see ring_kernels_harness.cu)
#
# Environment:
#   RING_HARNESS_BUILD_DIR  build directory (default examples/gpu/build; relative to the current directory)
#   RING_HARNESS_GENCODE    nvcc architecture flags (default: SASS for sm_80 and sm_90, PTX for compute_90)
#   RING_HARNESS_CUBLAS     auto (default: link -lcublas when the toolkit has it, else dlopen at run time),
#                           link, or dlopen
#   RING_HARNESS_EMU_SANITIZE  1 (default) builds the emulation with -fsanitize=address,undefined; 0 without
#   CUDA_HOME, CXX          where to look for nvcc (after PATH); the C++ compiler of --emulate (default g++)
#
# Exit status: 0 passed (or built, with --build-only); 1 a check failed; 2 a CUDA or usage error;
# 3 no CUDA device: built (and the CPU self-test passed) but the GPU checks did not run, so NOT a pass.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
KERNEL_DIR=$REPO/nd4j-ring-ops/src/main/resources/org/fastcrypt4j/ring/cuda
HARNESS_DIR=$REPO/nd4j-ring-ops/src/test/cuda
DEFAULT_GENCODE="-gencode arch=compute_80,code=sm_80 -gencode arch=compute_90,code=sm_90 -gencode arch=compute_90,code=compute_90"

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
}

build_only=0
rebuild=0
emulate=0
ptx_jit=0
harness_args=()
while (($#)); do
    case $1 in
        --build-only) build_only=1 ;;
        --rebuild) rebuild=1 ;;
        --emulate) emulate=1 ;;
        --ptx-jit) ptx_jit=1 ;;
        -h | --help) usage; exit 0 ;;
        --) shift; harness_args+=("$@"); break ;;
        *) harness_args+=("$1") ;;
    esac
    shift
done

for f in "$KERNEL_DIR/ring_kernels.cu" "$KERNEL_DIR/ring_arith.cuh" "$HARNESS_DIR/ring_harness.h" \
    "$HARNESS_DIR/ring_kernels_harness.cu" "$HARNESS_DIR/ring_kernels_emu.cpp"; do
    [[ -f $f ]] || { echo "check.sh: missing source $f" >&2; exit 2; }
done

BUILD_DIR=${RING_HARNESS_BUILD_DIR:-$SCRIPT_DIR/build}
mkdir -p "$BUILD_DIR"
BUILD_DIR=$(cd "$BUILD_DIR" && pwd)

# up_to_date BINARY STAMP_TEXT SOURCES...: the binary exists, is newer than every source and was built
# with the same command line
up_to_date() {
    local bin=$1 stamp=$2 src
    shift 2
    ((rebuild == 0)) && [[ -x $bin && -f $bin.cmd ]] || return 1
    [[ $(cat "$bin.cmd") == "$stamp" ]] || return 1
    for src in "$@"; do
        [[ $src -nt $bin ]] && return 1
    done
    return 0
}

# runs "$@" (a build command), printing it and how long it took; returns the command's status
timed_build() {
    local start end rc=0
    printf 'build:'
    printf ' %q' "$@"
    printf '\n'
    start=$(date +%s.%N)
    "$@" || rc=$?
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" -v rc="$rc" 'BEGIN { printf "build time: %.1f s%s\n", e - s, rc ? " (FAILED, exit " rc ")" : "" }'
    return "$rc"
}

# ---- CPU emulation ------------------------------------------------------------------------------------
if ((emulate)); then
    CXX=${CXX:-g++}
    command -v "$CXX" > /dev/null 2>&1 || { echo "check.sh: no C++ compiler ($CXX) for --emulate" >&2; exit 2; }
    flags=(-std=c++17 -O1 -g -Wall -Wno-unknown-pragmas)
    if [[ ${RING_HARNESS_EMU_SANITIZE:-1} == 1 ]] \
        && echo 'int main() { return 0; }' | "$CXX" -x c++ -fsanitize=address,undefined -o "$BUILD_DIR/.asan_probe" - > /dev/null 2>&1; then
        flags+=(-fsanitize=address,undefined -fno-sanitize-recover=undefined)
    fi
    rm -f "$BUILD_DIR/.asan_probe"
    EMU=$BUILD_DIR/ring_kernels_emu
    cmd=("$CXX" "${flags[@]}" -I "$KERNEL_DIR" -I "$HARNESS_DIR" -o "$EMU" "$HARNESS_DIR/ring_kernels_emu.cpp")
    "$CXX" --version | head -n 1
    if up_to_date "$EMU" "${cmd[*]}" "$KERNEL_DIR/ring_kernels.cu" "$KERNEL_DIR/ring_arith.cuh" \
        "$HARNESS_DIR/ring_harness.h" "$HARNESS_DIR/ring_kernels_emu.cpp" "${BASH_SOURCE[0]}"; then
        echo "up to date: $EMU"
    else
        rm -f "$EMU.cmd"
        timed_build "${cmd[@]}" || { echo "BUILD FAILED"; exit 2; }
        printf '%s' "${cmd[*]}" > "$EMU.cmd"
    fi
    if ((build_only)); then
        echo "built $EMU (--build-only: not run)"
        exit 0
    fi
    set +e
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} "$EMU" ${harness_args[@]+"${harness_args[@]}"} 2>&1 | tee "$BUILD_DIR/emu.log"
    rc=${PIPESTATUS[0]}
    set -e
    if ((rc == 0)); then
        echo "EMULATION PASSED (CPU emulation of the kernels; not a GPU run); log: $BUILD_DIR/emu.log"
    else
        echo "EMULATION FAILED (exit $rc); log: $BUILD_DIR/emu.log"
    fi
    exit "$rc"
fi

# ---- nvcc and the toolkit ------------------------------------------------------------------------------
find_nvcc() {
    local c
    if c=$(command -v nvcc 2> /dev/null); then
        echo "$c"
    elif [[ -n ${CUDA_HOME:-} && -x $CUDA_HOME/bin/nvcc ]]; then
        echo "$CUDA_HOME/bin/nvcc"
    elif [[ -x /usr/local/cuda/bin/nvcc ]]; then
        echo /usr/local/cuda/bin/nvcc
    else
        return 1
    fi
}
NVCC=$(find_nvcc) || {
    echo "check.sh: nvcc not found (looked on PATH, in \$CUDA_HOME/bin and /usr/local/cuda/bin)" >&2
    exit 2
}
echo "nvcc: $NVCC"
"$NVCC" --version | tail -n 2

# the toolkit root as nvcc itself reports it (nvcc may be a wrapper script outside the toolkit)
dryrun=$("$NVCC" -dryrun -x cu -c /dev/null -o /dev/null 2>&1 || true)
TOP=$(sed -n 's/^#\$ TOP=//p' <<< "$dryrun" | tail -n 1)
TARGET_DIR=$(sed -n 's/^#\$ _TARGET_DIR_=//p' <<< "$dryrun" | tail -n 1)
[[ -n $TOP && -d $TOP ]] || TOP=$(cd "$(dirname "$NVCC")/.." && pwd)
TOP=$(cd "$TOP" && pwd)
include_dirs=("$TOP/include")
lib_dirs=("$TOP/lib64" "$TOP/lib")
if [[ -n $TARGET_DIR ]]; then
    include_dirs=("$TOP/$TARGET_DIR/include" "${include_dirs[@]}")
    lib_dirs=("$TOP/$TARGET_DIR/lib" "${lib_dirs[@]}")
fi
cublas_header=""
for d in "${include_dirs[@]}"; do
    [[ -f $d/cublas_v2.h ]] && { cublas_header=$d/cublas_v2.h; break; }
done
cublas_libdir=""
cublas_so=""
for d in "${lib_dirs[@]}"; do
    if [[ -e $d/libcublas.so ]]; then
        cublas_libdir=$d
        cublas_so=$(ls "$d"/libcublas.so.[0-9]* 2> /dev/null | head -n 1 || true)
        [[ -n $cublas_so ]] || cublas_so=$d/libcublas.so
        break
    fi
done

requested=${RING_HARNESS_CUBLAS:-auto}
mode=$requested
case $mode in
    auto) [[ -n $cublas_header && -n $cublas_libdir ]] && mode=link || mode=dlopen ;;
    link) [[ -n $cublas_header && -n $cublas_libdir ]] || {
        echo "check.sh: RING_HARNESS_CUBLAS=link but cublas_v2.h / libcublas.so are not in $TOP" >&2
        exit 2
    } ;;
    dlopen) ;;
    *) echo "check.sh: RING_HARNESS_CUBLAS must be auto, link or dlopen, not $mode" >&2; exit 2 ;;
esac

# ---- build ------------------------------------------------------------------------------------------------
GENCODE=${RING_HARNESS_GENCODE:-$DEFAULT_GENCODE}
read -r -a gencode <<< "$GENCODE"
BIN=$BUILD_DIR/ring_kernels_harness
SOURCES=("$KERNEL_DIR/ring_kernels.cu" "$KERNEL_DIR/ring_arith.cuh" "$HARNESS_DIR/ring_harness.h"
    "$HARNESS_DIR/ring_kernels_harness.cu" "${BASH_SOURCE[0]}")

# the nvcc command line for cuBLAS mode $1 (link: -lcublas with an RPATH, which also covers libcublasLt)
harness_cmd() {
    local blas_flags
    if [[ $1 == link ]]; then
        blas_flags=(-DRING_HARNESS_CUBLAS_LINKED -L "$cublas_libdir" -lcublas
            -Xlinker --disable-new-dtags -Xlinker -rpath -Xlinker "$cublas_libdir")
    else
        blas_flags=(-ldl)
    fi
    cmd=("$NVCC" -O2 -std=c++17 "${gencode[@]}" -I "$KERNEL_DIR" -I "$HARNESS_DIR"
        -o "$BIN" "$HARNESS_DIR/ring_kernels_harness.cu" "${blas_flags[@]}")
}

if [[ $mode == link ]]; then
    echo "cuBLAS: linked from $cublas_libdir"
else
    echo "cuBLAS: loaded at run time with dlopen (toolkit has ${cublas_header:-no cublas_v2.h}, ${cublas_libdir:-no libcublas.so})"
fi
harness_cmd "$mode"
if up_to_date "$BIN" "${cmd[*]}" "${SOURCES[@]}"; then
    echo "up to date: $BIN"
else
    rm -f "$BIN.cmd"
    if ! timed_build "${cmd[@]}"; then
        if [[ $requested == auto && $mode == link ]]; then
            echo "the build against the toolkit's cuBLAS failed; building again with cuBLAS loaded at run time (dlopen)"
            mode=dlopen
            harness_cmd "$mode"
            timed_build "${cmd[@]}" || { echo "BUILD FAILED"; exit 2; }
        else
            echo "BUILD FAILED"
            exit 2
        fi
    fi
    printf '%s' "${cmd[*]}" > "$BIN.cmd"
fi
if ((build_only)); then
    echo "built $BIN (--build-only: not run)"
    exit 0
fi

# ---- run --------------------------------------------------------------------------------------------------
gpu_listed=0
if command -v nvidia-smi > /dev/null 2>&1 && smi=$(nvidia-smi -L 2>&1); then
    gpu_listed=1
    echo "nvidia-smi -L:"
    echo "$smi"
    nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv,noheader 2> /dev/null || true
else
    echo "nvidia-smi: no GPU listed (${smi:-nvidia-smi not installed}); running the harness anyway"
fi
if [[ -n $cublas_libdir ]]; then
    # the loader finds libcublas (linked) or RING_HARNESS_CUBLAS_LIB names it (dlopen), whatever ld.so.conf says
    export LD_LIBRARY_PATH=$cublas_libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
    [[ $mode == dlopen && -n $cublas_so ]] && export RING_HARNESS_CUBLAS_LIB=${RING_HARNESS_CUBLAS_LIB:-$cublas_so}
fi
((ptx_jit)) && export CUDA_FORCE_PTX_JIT=1
LOG=$BUILD_DIR/harness.log
set +e
"$BIN" ${harness_args[@]+"${harness_args[@]}"} 2>&1 | tee "$LOG"
rc=${PIPESTATUS[0]}
set -e
case $rc in
    0) echo "PASSED: every kernel check matched; log: $LOG" ;;
    3)
        echo "no CUDA device; built only: the GPU checks did NOT run (exit 3, not a pass)$( ((gpu_listed)) && echo '; nvidia-smi lists a GPU that the CUDA runtime cannot use')"
        ;;
    *) echo "FAILED (exit $rc); log: $LOG" ;;
esac
exit "$rc"

/*
 * CPU emulation of the ring kernels, for machines without a GPU: ring_kernels.cu compiled by g++ as
 * host C++ (the CUDA qualifiers defined away, blockIdx/threadIdx/blockDim/gridDim as globals) and run
 * through the same cases, launch conventions and references as the GPU harness (ring_harness.h).
 * Every emulated thread of a grid runs in turn; a kernel that calls __syncthreads (the matmul) runs
 * each block's threads as ucontext fibers that switch at every barrier, so its shared-memory tiles
 * behave as on the device (and a missing barrier shows as wrong tiles). "Device" buffers are exact-size heap blocks, so a build with
 * -fsanitize=address reports any read or write outside them.
 *
 * This checks the kernels' indexing and arithmetic and the harness itself; it does not check what
 * only a GPU can show (the compiled device code, memory model, timing).
 *
 *   g++ -std=c++17 -O1 -g -fsanitize=address,undefined -Wno-unknown-pragmas \
 *       -I nd4j-ring-ops/src/main/resources/org/fastcrypt4j/ring/cuda -I nd4j-ring-ops/src/test/cuda \
 *       -o ring_kernels_emu nd4j-ring-ops/src/test/cuda/ring_kernels_emu.cpp
 *   ring_kernels_emu [--seed N] [--quick]
 */
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <tuple>
#include <ucontext.h>
#include <utility>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#define RH_ASAN 1
#endif

/* ---- the CUDA dialect as host C++ -------------------------------------------------------------- */

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
/* one block runs at a time, so a function-local static is exactly the block's shared memory */
#define __shared__ static

struct rh_uint3 {
    unsigned x, y, z;
};
static rh_uint3 threadIdx, blockIdx, blockDim, gridDim;
static void __syncthreads();

#include "ring_kernels.cu"

#undef __global__
#undef __device__
#undef __host__
#undef __forceinline__
#undef __shared__

#include "ring_harness.h"

using rh::jlong;

/* ---- fibers for the threads of a block that synchronise ------------------------------------------ */

namespace emu {

struct Fiber {
    ucontext_t ctx;
    rh_uint3 tid;
    bool done;
    char* stack;
    void* fake_stack; /* AddressSanitizer's fake stack of this fiber while it is switched out */
};

static const size_t STACK = 256 * 1024;
static ucontext_t scheduler;
static std::vector<Fiber> fibers;
static std::vector<char> stacks;
static Fiber* current = nullptr;
static bool fiber_mode = false;
static std::function<void()>* invoke = nullptr;
static long long switches = 0;
static const void* sched_bottom = nullptr;
static size_t sched_size = 0;

static void fiber_entry() {
#ifdef RH_ASAN
    __sanitizer_finish_switch_fiber(nullptr, &sched_bottom, &sched_size);
#endif
    (*invoke)();
    current->done = true;
#ifdef RH_ASAN
    __sanitizer_start_switch_fiber(nullptr, sched_bottom, sched_size);
#endif
    setcontext(&scheduler);
}

static void resume(Fiber& f) {
    current = &f;
    threadIdx = f.tid;
    switches++;
#ifdef RH_ASAN
    void* save = nullptr;
    __sanitizer_start_switch_fiber(&save, f.stack, STACK);
#endif
    if (swapcontext(&scheduler, &f.ctx) != 0) {
        perror("swapcontext");
        exit(2);
    }
#ifdef RH_ASAN
    __sanitizer_finish_switch_fiber(save, nullptr, nullptr);
#endif
}

/* Runs the threads of the current block as fibers until all have returned; barrier rounds in between. */
static void run_block(std::function<void()>& call) {
    unsigned n = blockDim.x * blockDim.y * blockDim.z;
    if (fibers.size() < n) {
        fibers.resize(n);
        stacks.assign((size_t) n * STACK, 0);
    }
    invoke = &call;
    for (unsigned t = 0; t < n; t++) {
        Fiber& f = fibers[t];
        f.tid = rh_uint3{t % blockDim.x, (t / blockDim.x) % blockDim.y, t / (blockDim.x * blockDim.y)};
        f.done = false;
        f.stack = &stacks[(size_t) t * STACK];
        f.fake_stack = nullptr;
        if (getcontext(&f.ctx) != 0) {
            perror("getcontext");
            exit(2);
        }
        f.ctx.uc_stack.ss_sp = f.stack;
        f.ctx.uc_stack.ss_size = STACK;
        f.ctx.uc_link = nullptr;
        makecontext(&f.ctx, fiber_entry, 0);
    }
    fiber_mode = true;
    /* between two barriers the threads run one after another, in ascending order in even rounds and in
       descending order in odd ones, so that a missing barrier shows as a wrong result either way */
    for (unsigned done = 0, round = 0; done < n; round++) {
        unsigned waiting = 0, finished = 0;
        for (unsigned i = 0; i < n; i++) {
            unsigned t = round % 2 ? n - 1 - i : i;
            if (fibers[t].done) continue;
            resume(fibers[t]);
            if (fibers[t].done) finished++; else waiting++;
        }
        if (waiting > 0 && (finished > 0 || done > 0)) {
            printf("emulation error: barrier divergence in block (%u,%u): %u threads wait at __syncthreads, %u returned\n",
                   blockIdx.x, blockIdx.y, waiting, done + finished);
            exit(2);
        }
        done += finished;
    }
    fiber_mode = false;
}

/* Kernels that call __syncthreads; the others run their threads one after another on this stack. */
template <class K>
static bool needs_barrier(K k) {
    return reinterpret_cast<void (*)()>(k) == reinterpret_cast<void (*)()>(&ring_matmul_kernel);
}

template <class T>
static T read_param(void* p) {
    T v;
    memcpy(&v, p, sizeof v);
    return v;
}

template <class... P, size_t... I>
static std::tuple<P...> unpack(void** params, std::index_sequence<I...>) {
    return std::tuple<P...>(read_param<P>(params[I])...);
}

} // namespace emu

static void __syncthreads() {
    if (!emu::fiber_mode) {
        printf("emulation error: a kernel called __syncthreads but is not listed in needs_barrier()\n");
        exit(2);
    }
    emu::Fiber* f = emu::current;
    emu::switches++;
#ifdef RH_ASAN
    __sanitizer_start_switch_fiber(&f->fake_stack, emu::sched_bottom, emu::sched_size);
#endif
    if (swapcontext(&f->ctx, &emu::scheduler) != 0) {
        perror("swapcontext");
        exit(2);
    }
#ifdef RH_ASAN
    __sanitizer_finish_switch_fiber(f->fake_stack, &emu::sched_bottom, &emu::sched_size);
#endif
}

/* The backend of ring_harness.h: host memory as device memory, the grid emulated thread by thread. */
struct EmuBackend {
    const char* ms_label() const { return "cpu_emu_ms"; }
    ring_t* alloc(jlong n) { return new ring_t[(size_t) n]; } /* exact size: ASan sees every overrun */
    void release(ring_t* p) { delete[] p; }
    void upload(ring_t* d, const ring_t* h, jlong n) { if (n > 0) memcpy(d, h, (size_t) n * sizeof(ring_t)); }
    void download(ring_t* h, const ring_t* d, jlong n) { if (n > 0) memcpy(h, d, (size_t) n * sizeof(ring_t)); }
    void poison(ring_t* d, jlong n) { if (n > 0) memset(d, 0xA5, (size_t) n * sizeof(ring_t)); }

    template <class... P>
    double launch(void (*k)(P...), rh::Dims d, void** params) {
        auto t0 = std::chrono::steady_clock::now();
        /* the driver reads each parameter with the size the kernel declares; so does this */
        std::tuple<P...> args = emu::unpack<P...>(params, std::index_sequence_for<P...>{});
        std::function<void()> call = [&]() { std::apply(k, args); };
        bool barrier = emu::needs_barrier(k);
        blockDim = rh_uint3{d.bx, d.by, 1};
        gridDim = rh_uint3{d.gx, d.gy, 1};
        for (unsigned by = 0; by < d.gy; by++) {
            for (unsigned bx = 0; bx < d.gx; bx++) {
                blockIdx = rh_uint3{bx, by, 0};
                if (barrier) {
                    emu::run_block(call);
                    continue;
                }
                for (unsigned ty = 0; ty < d.by; ty++) {
                    for (unsigned tx = 0; tx < d.bx; tx++) {
                        threadIdx = rh_uint3{tx, ty, 0};
                        call();
                    }
                }
            }
        }
        return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    }
};

int main(int argc, char** argv) {
    setvbuf(stdout, nullptr, _IOLBF, 0);
    uint64_t seed = 0x13C0FFEEULL;
    bool quick = false;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        if (a == "--seed" && i + 1 < argc) seed = strtoull(argv[++i], nullptr, 0);
        else if (a == "--quick") quick = true;
        else {
            printf("usage: ring_kernels_emu [--seed N] [--quick]\n");
            return 2;
        }
    }
    printf("ring_kernels_emu: seed=%llu (0x%llx); rerun with --seed N to reproduce\n", (unsigned long long) seed,
           (unsigned long long) seed);
    printf("backend: CPU emulation of ring_kernels.cu (g++%s), not a GPU\n",
#ifdef RH_ASAN
           ", AddressSanitizer"
#else
           ""
#endif
    );
    auto t0 = std::chrono::steady_clock::now();
    rh::Report rep;
    rh::self_test_cpu(seed, rep);
    EmuBackend be;
    rep.ms_label = be.ms_label();
    rh::Cases<EmuBackend> cases(be, rep, seed);
    cases.run_all(!quick);
    printf("emulated in %.1f s, %lld fiber switches\n",
           std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), emu::switches);
    printf("%d passed, %d failed\n", rep.passed, rep.failed);
    return rep.failed ? 1 : 0;
}

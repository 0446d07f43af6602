/*
 * Standalone GPU check of the ring kernels (issue 13): every kernel of ring_kernels.cu launched as
 * the Java launcher (CudaModule / CudaRingOps) launches it, on random full-range 64-bit inputs and
 * awkward shapes, compared exactly with plain C++ references (ring_harness.h); then the ring matmul
 * timed against cuBLAS DGEMM of the same square shape. No Java needed.
 *
 * The kernel sources are the very files that NVRTC compiles at run time, found by include path
 * (-I nd4j-ring-ops/src/main/resources/org/fastcrypt4j/ring/cuda): they compile as an ordinary nvcc
 * translation unit (extern "C" __global__ kernels, no NVRTC-only constructs), so no wrapper is needed.
 *
 *   ring_kernels_harness [--seed N] [--quick] [--no-bench] [--bench-sizes 1024,4096,8192]
 *                        [--bench-reps R] [--spot S] [--device D] [--self-test-cpu]
 *
 * Exit status: 0 all passed, 1 a check failed, 2 a CUDA error or bad usage, 3 no CUDA device (the
 * CPU self-test ran and passed, the GPU cases did not run).
 *
 * cuBLAS: linked (-lcublas, -DRING_HARNESS_CUBLAS_LINKED) where the toolkit has it, otherwise
 * loaded at run time with dlopen, so that the harness also builds where cuBLAS is not installed.
 */
#include <cuda_runtime.h>

#include "ring_kernels.cu"
#include "ring_harness.h"

#include <chrono>
#include <cmath>
#include <string>
#include <unistd.h>
#include <vector>

#ifdef RING_HARNESS_CUBLAS_LINKED
#include <cublas_v2.h>
#else
#include <dlfcn.h>
/* The few cuBLAS v2 declarations used, ABI-identical to cublas_v2.h (the enums are int-sized). */
struct cublasContext;
typedef struct cublasContext* cublasHandle_t;
typedef int cublasStatus_t;
typedef int cublasOperation_t;
static const cublasOperation_t CUBLAS_OP_N = 0;
#endif

#define RH_STR2(...) #__VA_ARGS__
#define RH_STR(...) RH_STR2(__VA_ARGS__)

using rh::jint;
using rh::jlong;
using rh::Words;

#define CK(call) check_cuda((call), #call, __FILE__, __LINE__)

static void check_cuda(cudaError_t e, const char* call, const char* file, int line) {
    if (e == cudaSuccess) {
        return;
    }
    printf("CUDA error %d (%s): %s\n  in %s at %s:%d\n", (int) e, cudaGetErrorName(e), cudaGetErrorString(e), call,
           file, line);
    fflush(stdout);
    exit(2);
}

/* Device memory and synchronous, event-timed launches on the legacy default stream (as CudaModule). */
struct CudaBackend {
    cudaEvent_t start = nullptr, stop = nullptr;

    CudaBackend() {
        CK(cudaEventCreate(&start));
        CK(cudaEventCreate(&stop));
    }
    ~CudaBackend() {
        CK(cudaEventDestroy(start));
        CK(cudaEventDestroy(stop));
    }
    const char* ms_label() const { return "gpu_ms"; }

    ring_t* alloc(jlong n) {
        void* p = nullptr;
        CK(cudaMalloc(&p, (size_t) std::max<jlong>(n, 1) * sizeof(ring_t)));
        return (ring_t*) p;
    }
    void release(ring_t* p) { CK(cudaFree(p)); }
    void upload(ring_t* d, const ring_t* h, jlong n) {
        if (n > 0) CK(cudaMemcpy(d, h, (size_t) n * sizeof(ring_t), cudaMemcpyHostToDevice));
    }
    void download(ring_t* h, const ring_t* d, jlong n) {
        if (n > 0) CK(cudaMemcpy(h, d, (size_t) n * sizeof(ring_t), cudaMemcpyDeviceToHost));
    }
    void poison(ring_t* d, jlong n) {
        if (n > 0) CK(cudaMemset(d, 0xA5, (size_t) n * sizeof(ring_t)));
    }

    /* cudaLaunchKernel takes the same array of argument pointers as the driver's cuLaunchKernel. */
    template <class... P>
    double launch(void (*k)(P...), rh::Dims d, void** params) {
        CK(cudaEventRecord(start, 0));
        CK(cudaLaunchKernel((const void*) k, dim3(d.gx, d.gy, 1), dim3(d.bx, d.by, 1), params, 0, 0));
        CK(cudaEventRecord(stop, 0));
        CK(cudaEventSynchronize(stop));
        CK(cudaDeviceSynchronize()); /* CudaModule: cuCtxSynchronize after every launch */
        CK(cudaGetLastError());
        float ms = 0;
        CK(cudaEventElapsedTime(&ms, start, stop));
        return ms;
    }
};

/* ---- cuBLAS ------------------------------------------------------------------------------------ */

struct Blas {
    typedef cublasStatus_t (*create_fn)(cublasHandle_t*);
    typedef cublasStatus_t (*destroy_fn)(cublasHandle_t);
    typedef cublasStatus_t (*dgemm_fn)(cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int, int,
                                       const double*, const double*, int, const double*, int, const double*, double*,
                                       int);
    typedef const char* (*status_fn)(cublasStatus_t);
    create_fn create = nullptr;
    destroy_fn destroy = nullptr;
    dgemm_fn dgemm = nullptr;
    status_fn status_string = nullptr;
    std::string origin;

    bool load() {
#ifdef RING_HARNESS_CUBLAS_LINKED
        create = cublasCreate_v2;
        destroy = cublasDestroy_v2;
        dgemm = cublasDgemm_v2;
        status_string = cublasGetStatusString;
        origin = "linked (-lcublas)";
        return true;
#else
        /* RING_HARNESS_CUBLAS_LIB (set by check.sh to the toolkit's library), the loader's path, the usual toolkit places */
        std::vector<std::string> names;
        if (const char* explicit_lib = getenv("RING_HARNESS_CUBLAS_LIB")) names.push_back(explicit_lib);
        const char* sonames[] = {"libcublas.so.13", "libcublas.so.12", "libcublas.so"};
        for (const char* so : sonames) names.push_back(so);
        std::vector<std::string> dirs;
        if (const char* home = getenv("CUDA_HOME")) dirs.push_back(std::string(home) + "/lib64");
        dirs.push_back("/usr/local/cuda/lib64");
        dirs.push_back("/usr/local/cuda/targets/x86_64-linux/lib");
        dirs.push_back("/usr/local/cuda/targets/sbsa-linux/lib");
        for (const std::string& dir : dirs)
            for (const char* so : sonames) names.push_back(dir + "/" + so);
        std::string errors;
        for (const std::string& name : names) {
            void* lib = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
            if (lib == nullptr) {
                const char* e = dlerror();
                if (name.find('/') == std::string::npos || access(name.c_str(), F_OK) == 0)
                    errors += std::string("\n    ") + (e ? e : name.c_str());
                continue;
            }
            create = (create_fn) dlsym(lib, "cublasCreate_v2");
            destroy = (destroy_fn) dlsym(lib, "cublasDestroy_v2");
            dgemm = (dgemm_fn) dlsym(lib, "cublasDgemm_v2");
            status_string = (status_fn) dlsym(lib, "cublasGetStatusString");
            if (create && destroy && dgemm) {
                origin = "dlopen(" + name + ")";
                return true;
            }
            errors += "\n    " + name + " lacks cublasCreate_v2/cublasDestroy_v2/cublasDgemm_v2";
        }
        origin = "not found:" + errors;
        return false;
#endif
    }

    void check(cublasStatus_t s, const char* call) const {
        if ((int) s != 0) {
            printf("cuBLAS error %d (%s) in %s\n", (int) s, status_string ? status_string(s) : "no status string", call);
            fflush(stdout);
            exit(2);
        }
    }
};

/* Deterministic doubles in [-1, 1) for the DGEMM operands, the same on host and device. */
__host__ __device__ inline double uniform_at(unsigned long long seed, long long i) {
    unsigned long long z = seed + (unsigned long long) i * 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return (double) (z >> 11) * (2.0 / 9007199254740992.0) - 1.0;
}

__global__ void harness_fill_uniform(double* p, long long n, unsigned long long seed) {
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long) blockDim.x * gridDim.x) {
        p[i] = uniform_at(seed, i);
    }
}

static double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static double mib(double bytes) { return bytes / (1024.0 * 1024.0); }

/*
 * The ring matmul at n x n x n (as CudaRingOps.matmul launches it, no transposes) against cuBLAS
 * DGEMM of the same shape; spot checks of the ring product count as checks in rep.
 */
static void bench(CudaBackend& be, rh::Report& rep, uint64_t seed, const std::vector<jlong>& sizes, int reps, int spots) {
    Blas blas;
    bool have_blas = blas.load();
    printf("cuBLAS: %s\n", blas.origin.c_str());
    cublasHandle_t handle = nullptr;
    if (have_blas) blas.check(blas.create(&handle), "cublasCreate_v2");
    for (jlong n : sizes) {
        double bytes = 3.0 * (double) n * (double) n * 8.0;
        size_t free_b = 0, total_b = 0;
        CK(cudaMemGetInfo(&free_b, &total_b));
        const double margin = 512.0 * 1024 * 1024;
        if (bytes + margin > (double) free_b) {
            printf("matmul_bench n=%lld SKIPPED: needs %.0f MiB of device memory (+%.0f MiB margin), %.0f MiB free\n", n,
                   mib(bytes), mib(margin), mib((double) free_b));
            continue;
        }
        double host_free = (double) sysconf(_SC_AVPHYS_PAGES) * (double) sysconf(_SC_PAGESIZE);
        if (host_free > 0 && 2.0 / 3.0 * bytes + margin > host_free) {
            printf("matmul_bench n=%lld SKIPPED: needs %.0f MiB of host memory, %.0f MiB free\n", n, mib(2.0 / 3.0 * bytes),
                   mib(host_free));
            continue;
        }
        double ring_ms, dgemm_ms = -1;
        {
            rh::Rng r = rh::rng_for(seed, "bench " + std::to_string(n));
            Words A = rh::random_words(r, n * n), B = rh::random_words(r, n * n, true);
            rh::DeviceWords<CudaBackend> dA(be, A), dB(be, B), dC(be, n * n);
            be.poison(dC.p, n * n);
            auto run = [&]() {
                return rh::launch_matmul(be, ring_matmul_kernel, n, n, rh::addr(dA.p), rh::addr(dB.p), rh::addr(dC.p), n, n,
                                         n, n, n, n, (jint) 0, (jint) 0);
            };
            double warm = run();
            int R = warm > 2000 ? std::min(reps, 3) : reps;
            std::vector<double> t;
            for (int i = 0; i < R; i++) t.push_back(run());
            ring_ms = median(t);
            /* spot checks: the four corners and random entries against a CPU dot product */
            size_t bad = 0;
            int checked = 0;
            for (int s = 0; s < spots; s++) {
                jlong i = s == 0 || s == 2 ? 0 : s == 1 || s == 3 ? n - 1 : (jlong) r.below((uint64_t) n);
                jlong j = s == 0 || s == 3 ? 0 : s == 1 || s == 2 ? n - 1 : (jlong) r.below((uint64_t) n);
                ring_t got;
                CK(cudaMemcpy(&got, dC.p + i * n + j, sizeof got, cudaMemcpyDeviceToHost));
                ring_t want = rh::ref_dot(A.data(), B.data(), n, i, j);
                if (got != want) {
                    if (bad < 3) printf("  ring_matmul_kernel n=%lld: C[%lld,%lld] got 0x%016llx expected 0x%016llx\n", n, i,
                                        j, (unsigned long long) got, (unsigned long long) want);
                    bad++;
                }
                checked++;
            }
            char shape[96];
            snprintf(shape, sizeof shape, "m=n=k=%lld,spot=%d,median_of=%d", n, checked, R);
            rep.line("ring_matmul_kernel", shape, bad, ring_ms);
        }
        if (have_blas) {
            double *dA = nullptr, *dB = nullptr, *dC = nullptr;
            size_t nb = (size_t) n * (size_t) n * sizeof(double);
            CK(cudaMalloc((void**) &dA, nb));
            CK(cudaMalloc((void**) &dB, nb));
            CK(cudaMalloc((void**) &dC, nb));
            unsigned long long sa = seed ^ 0xA11CEULL, sb = seed ^ 0xB0BULL;
            harness_fill_uniform<<<4096, 256>>>(dA, n * n, sa);
            CK(cudaGetLastError());
            harness_fill_uniform<<<4096, 256>>>(dB, n * n, sb);
            CK(cudaGetLastError());
            CK(cudaDeviceSynchronize());
            const double one = 1.0, zero = 0.0;
            int ni = (int) n;
            auto run = [&]() {
                CK(cudaEventRecord(be.start, 0));
                /* row-major C = A B is column-major C^T = B^T A^T */
                blas.check(blas.dgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, ni, ni, ni, &one, dB, ni, dA, ni, &zero, dC, ni),
                           "cublasDgemm_v2");
                CK(cudaEventRecord(be.stop, 0));
                CK(cudaEventSynchronize(be.stop));
                CK(cudaGetLastError());
                float ms = 0;
                CK(cudaEventElapsedTime(&ms, be.start, be.stop));
                return (double) ms;
            };
            run();
            std::vector<double> t;
            for (int i = 0; i < reps; i++) t.push_back(run());
            dgemm_ms = median(t);
            /* sanity of the DGEMM call itself (not counted as a check): a few entries against the host */
            double worst = 0;
            for (int s = 0; s < 4; s++) {
                jlong i = (s * 7919LL) % n, j = (s * 104729LL + 1) % n;
                double got, want = 0, scale = 0;
                CK(cudaMemcpy(&got, dC + i * n + j, sizeof got, cudaMemcpyDeviceToHost));
                for (jlong q = 0; q < n; q++) {
                    double x = uniform_at(sa, i * n + q) * uniform_at(sb, q * n + j);
                    want += x;
                    scale += fabs(x);
                }
                worst = std::max(worst, fabs(got - want) / std::max(scale, 1e-300));
            }
            printf("dgemm_sanity n=%lld max_rel_err=%.2e%s\n", n, worst, worst < 1e-10 ? "" : " (UNEXPECTED)");
            CK(cudaFree(dA));
            CK(cudaFree(dB));
            CK(cudaFree(dC));
        }
        double n3 = (double) n * (double) n * (double) n;
        if (dgemm_ms > 0) {
            printf("matmul_bench n=%lld ring_ms=%.3f dgemm_ms=%.3f ratio_ring_over_dgemm=%.2f ring_madds_per_s=%.3e "
                   "dgemm_fmas_per_s=%.3e dgemm_tflops=%.2f\n",
                   n, ring_ms, dgemm_ms, ring_ms / dgemm_ms, n3 / (ring_ms * 1e-3), n3 / (dgemm_ms * 1e-3),
                   2.0 * n3 / (dgemm_ms * 1e-3) * 1e-12);
        } else {
            printf("matmul_bench n=%lld ring_ms=%.3f dgemm_ms=n/a (no cuBLAS) ring_madds_per_s=%.3e\n", n, ring_ms,
                   n3 / (ring_ms * 1e-3));
        }
        fflush(stdout);
    }
    if (have_blas) blas.check(blas.destroy(handle), "cublasDestroy_v2");
}

/* ---- main ---------------------------------------------------------------------------------------- */

static void usage() {
    printf("usage: ring_kernels_harness [--seed N] [--quick] [--no-bench] [--bench-sizes 1024,4096,8192]\n"
           "                            [--bench-reps R] [--spot S] [--device D] [--self-test-cpu]\n");
}

int main(int argc, char** argv) {
    setvbuf(stdout, nullptr, _IOLBF, 0);
    uint64_t seed = 0x13C0FFEEULL;
    bool self_test_only = false, quick = false, no_bench = false;
    std::vector<jlong> sizes = {1024, 4096, 8192};
    int reps = 5, spots = 300, device = 0;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        auto value = [&]() -> const char* {
            if (i + 1 >= argc) {
                printf("%s needs a value\n", a.c_str());
                usage();
                exit(2);
            }
            return argv[++i];
        };
        if (a == "--seed") seed = strtoull(value(), nullptr, 0);
        else if (a == "--self-test-cpu") self_test_only = true;
        else if (a == "--quick") quick = true;
        else if (a == "--no-bench") no_bench = true;
        else if (a == "--bench-reps") reps = std::max(1, atoi(value()));
        else if (a == "--spot") spots = std::max(4, atoi(value()));
        else if (a == "--device") device = atoi(value());
        else if (a == "--bench-sizes") {
            sizes.clear();
            std::string list = value();
            size_t pos = 0;
            while (pos < list.size()) {
                size_t comma = list.find(',', pos);
                std::string item = list.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
                if (!item.empty()) sizes.push_back(atoll(item.c_str()));
                pos = comma == std::string::npos ? list.size() : comma + 1;
            }
        } else if (a == "--help" || a == "-h") {
            usage();
            return 0;
        } else {
            printf("unknown argument %s\n", a.c_str());
            usage();
            return 2;
        }
    }
    printf("ring_kernels_harness: seed=%llu (0x%llx); rerun with --seed N to reproduce\n", (unsigned long long) seed,
           (unsigned long long) seed);
#ifdef __CUDA_ARCH_LIST__
    printf("device code built for __CUDA_ARCH_LIST__=%s; CUDA_FORCE_PTX_JIT=%s\n", RH_STR(__CUDA_ARCH_LIST__),
           getenv("CUDA_FORCE_PTX_JIT") ? getenv("CUDA_FORCE_PTX_JIT") : "(unset)");
#endif

    rh::Report rep;
    rh::self_test_cpu(seed, rep);
    if (self_test_only) {
        printf("%d passed, %d failed\n", rep.passed, rep.failed);
        return rep.failed ? 1 : 0;
    }

    int count = 0;
    cudaError_t e = cudaGetDeviceCount(&count);
    if (e != cudaSuccess || count == 0) {
        printf("no CUDA device: %s\n", e != cudaSuccess ? cudaGetErrorString(e) : "cudaGetDeviceCount found 0 devices");
        printf("%d passed, %d failed (CPU self-test only; the GPU cases did not run)\n", rep.passed, rep.failed);
        return rep.failed ? 1 : 3;
    }
    if (device < 0 || device >= count) {
        printf("--device %d: only %d CUDA device(s)\n", device, count);
        return 2;
    }
    CK(cudaSetDevice(device));
    cudaDeviceProp prop;
    CK(cudaGetDeviceProperties(&prop, device));
    int driver = 0, runtime = 0;
    CK(cudaDriverGetVersion(&driver));
    CK(cudaRuntimeGetVersion(&runtime));
    printf("device %d: %s, compute capability %d.%d, %d SMs, %.0f MiB; driver API %d, runtime %d\n", device, prop.name,
           prop.major, prop.minor, prop.multiProcessorCount, mib((double) prop.totalGlobalMem), driver, runtime);

    auto t0 = std::chrono::steady_clock::now();
    {
        CudaBackend be;
        rep.ms_label = be.ms_label();
        rh::Cases<CudaBackend> cases(be, rep, seed);
        cases.run_all(!quick);
        double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        printf("kernel cases done in %.1f s\n", s);
        if (!no_bench) bench(be, rep, seed, sizes, reps, spots);
    }
    printf("%d passed, %d failed\n", rep.passed, rep.failed);
    return rep.failed ? 1 : 0;
}

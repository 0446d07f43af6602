/*
 * Shared part of the standalone checks of ring_kernels.cu: the launch conventions of the Java
 * launcher (org.fastcrypt4j.ring.cuda.CudaModule / CudaRingOps), random inputs, plain-loop CPU
 * references, the list of kernel cases and the CPU self-test. Backend-neutral host C++17, so that it
 * compiles under nvcc (ring_kernels_harness.cu, real GPU) and under g++ (ring_kernels_emu.cpp, the
 * kernels executed on the CPU).
 *
 * Include ring_kernels.cu (which includes ring_arith.cuh) before this header: the cases launch the
 * kernels by their extern "C" names.
 *
 * A backend B provides
 *   const char* ms_label();                       name of the timing field ("gpu_ms")
 *   ring_t* alloc(long long n);                   n >= 0 words of device memory
 *   void release(ring_t* p);
 *   void upload(ring_t* d, const ring_t* h, long long n);
 *   void download(ring_t* h, const ring_t* d, long long n);
 *   void poison(ring_t* d, long long n);          fill with a pattern that no kernel writes by chance
 *   template <class... P> double launch(void (*k)(P...), Dims d, void** params);   ms, synchronous
 * and the launch helpers below pass the parameters as the Java launcher does: an array of pointers to
 * 8-byte (java.lang.Long: ring_t, ring_index_t, device addresses) or 4-byte (java.lang.Integer: int)
 * values, read by the driver with the kernel's own parameter sizes.
 */
#ifndef FASTCRYPT4J_RING_HARNESS_H
#define FASTCRYPT4J_RING_HARNESS_H

#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#ifndef RING_TILE
#error "include ring_kernels.cu before ring_harness.h"
#endif

namespace rh {

typedef long long jlong; /* a java.lang.Long launch argument */
typedef int jint;        /* a java.lang.Integer launch argument */
typedef std::vector<ring_t> Words;

/* ---- launch conventions of CudaModule.java / CudaKernel.java ---------------------------------- */

const jlong ELEMENTWISE_BLOCK = 256;     /* CudaModule.ELEMENTWISE_BLOCK */
const jlong MAX_ELEMENTWISE_BLOCKS = 8192; /* CudaModule.MAX_ELEMENTWISE_BLOCKS */
const jlong MAX_GRID_Y = 65535;          /* CudaModule.MAX_GRID_Y */
const jlong MATMUL_TILE = 16;            /* CudaKernel.MATMUL_TILE */
static_assert(MATMUL_TILE == RING_TILE, "CudaKernel.MATMUL_TILE must equal RING_TILE of ring_kernels.cu");

struct Dims {
    unsigned gx, gy, bx, by;
};

/* CudaModule.launchElementwise: min(ceil(n / 256), 8192) blocks of 256 threads, nothing for n == 0. */
inline Dims elementwise_dims(jlong n) {
    jlong blocks = std::min((n + ELEMENTWISE_BLOCK - 1) / ELEMENTWISE_BLOCK, MAX_ELEMENTWISE_BLOCKS);
    return Dims{(unsigned) blocks, 1u, (unsigned) ELEMENTWISE_BLOCK, 1u};
}

/* CudaModule.launchMatmul: ceil(n / 16) x ceil(m / 16) blocks of 16 x 16 threads. */
inline Dims matmul_dims(jlong m, jlong n) {
    jlong gx = (n + MATMUL_TILE - 1) / MATMUL_TILE;
    jlong gy = (m + MATMUL_TILE - 1) / MATMUL_TILE;
    return Dims{(unsigned) gx, (unsigned) gy, (unsigned) MATMUL_TILE, (unsigned) MATMUL_TILE};
}

template <bool... B>
struct all_of {
    static const bool value = true;
};
template <bool H, bool... T>
struct all_of<H, T...> {
    static const bool value = H && all_of<T...>::value;
};

/* Launches k with args exactly as CudaModule.launch does (one pointer per argument value). */
template <class Backend, class... P, class... A>
double launch_java(Backend& be, void (*k)(P...), Dims d, A... args) {
    static_assert(sizeof...(P) == sizeof...(A), "argument count differs from the kernel's parameter list");
    static_assert(all_of<(sizeof(P) == sizeof(A))...>::value,
                  "an argument's size differs from the kernel parameter's (Long = 8 bytes, Integer = 4 bytes)");
    static_assert(all_of<(sizeof(A) == 8 || sizeof(A) == 4)...>::value, "Java passes only Long or Integer values");
    void* params[] = {(void*) &args...};
    return be.launch(k, d, params);
}

/* CudaModule.launchElementwise(kernel, n, args...): returns 0 ms and launches nothing for n == 0. */
template <class Backend, class... P, class... A>
double launch_elementwise(Backend& be, void (*k)(P...), jlong n, A... args) {
    if (n == 0) {
        return 0.0;
    }
    return launch_java(be, k, elementwise_dims(n), args...);
}

/* CudaModule.launchMatmul(m, n, args...); -1 if the Java side would refuse the grid. */
template <class Backend, class... P, class... A>
double launch_matmul(Backend& be, void (*k)(P...), jlong m, jlong n, A... args) {
    if (m == 0 || n == 0) {
        return 0.0;
    }
    Dims d = matmul_dims(m, n);
    if ((jlong) d.gy > MAX_GRID_Y) {
        return -1.0;
    }
    return launch_java(be, k, d, args...);
}

/* A device address as the Java side passes it (DeviceArrays.address: a long). */
inline jlong addr(const ring_t* p) {
    return (jlong) (uintptr_t) p;
}

/* ---- random inputs ------------------------------------------------------------------------- */

struct Rng {
    uint64_t s;
    explicit Rng(uint64_t seed) : s(seed) {}
    uint64_t next() { /* splitmix64 */
        uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    uint64_t below(uint64_t n) { return next() % n; }
};

/* A stream of its own for each labelled case, so a case's data does not depend on the others. */
inline Rng rng_for(uint64_t seed, const std::string& label) {
    uint64_t h = 0xCBF29CE484222325ULL; /* FNV-1a */
    for (char ch : label) {
        h = (h ^ (unsigned char) ch) * 0x100000001B3ULL;
    }
    Rng r(seed ^ h);
    r.next();
    return r;
}

/* 0, +-1, Long.MIN_VALUE, Long.MAX_VALUE, MIN + 1, +-2: the edge words of RingArithHostTest. */
const ring_t EDGES[8] = {0ULL, 1ULL, ~0ULL, 0x8000000000000000ULL, 0x7FFFFFFFFFFFFFFFULL,
                         0x8000000000000001ULL, 2ULL, ~1ULL};

/* n full-range random words, the first ones the edge words (reversed if reverse_edges). */
inline Words random_words(Rng& r, jlong n, bool reverse_edges = false) {
    Words v((size_t) n);
    for (jlong i = 0; i < n; i++) {
        v[(size_t) i] = i < 8 ? EDGES[reverse_edges ? 7 - i : i] : r.next();
    }
    return v;
}

/* ---- plain C++ references (independent of ring_arith.cuh and of the kernels) ------------------- */

enum Op { ADD, SUB, MUL, XOR, AND, NEG, NOT, SHL, SHR, SAR };

inline uint64_t plain_binary(Op op, uint64_t a, uint64_t b) {
    switch (op) {
        case ADD: return a + b;
        case SUB: return a - b;
        case MUL: return a * b;
        case XOR: return a ^ b;
        default: return a & b;
    }
}

/* Java's >> on a long: gcc and nvcc shift signed values arithmetically (and C++20 requires it). */
inline uint64_t plain_sar(uint64_t a, int s) {
    return (uint64_t) ((int64_t) a >> s);
}

inline uint64_t plain_shift(Op op, uint64_t a, int s) {
    return op == SHL ? a << s : op == SHR ? a >> s : plain_sar(a, s);
}

/* out[r, c] = a[r, c] op b[r * rs + c * cs] for an rows x cols a. */
inline Words ref_binary(Op op, const Words& a, const Words& b, jlong rows, jlong cols, jlong rs, jlong cs) {
    Words out(a.size());
    for (jlong r = 0; r < rows; r++) {
        for (jlong c = 0; c < cols; c++) {
            out[(size_t) (r * cols + c)] = plain_binary(op, a[(size_t) (r * cols + c)], b[(size_t) (r * rs + c * cs)]);
        }
    }
    return out;
}

/* C[i * ldc + j] = sum_q op(A)[i, q] * op(B)[q, j] mod 2^64; entries of C outside m x n untouched. */
inline void ref_matmul(const ring_t* A, const ring_t* B, ring_t* C, jlong m, jlong n, jlong k, jlong lda,
                       jlong ldb, jlong ldc, int transA, int transB) {
    for (jlong i = 0; i < m; i++) {
        for (jlong j = 0; j < n; j++) {
            uint64_t acc = 0;
            for (jlong q = 0; q < k; q++) {
                uint64_t x = transA ? A[q * lda + i] : A[i * lda + q];
                uint64_t y = transB ? B[j * ldb + q] : B[q * ldb + j];
                acc += x * y;
            }
            C[i * ldc + j] = acc;
        }
    }
}

/* One entry of a square n x n c-order product, for the spot checks of the large matmuls. */
inline uint64_t ref_dot(const ring_t* A, const ring_t* B, jlong n, jlong i, jlong j) {
    uint64_t acc = 0;
    for (jlong q = 0; q < n; q++) {
        acc += A[i * n + q] * B[q * n + j];
    }
    return acc;
}

/*
 * A 2-d convolution's geometry as org.fastcrypt4j.ring.ConvGeometry derives it (DL4J's Truncate and
 * Same modes): oH, oW and the top/left padding that the kernels receive.
 */
struct Conv {
    jlong n, c, h, w;
    int kH, kW, sH, sW, padH, padW, dH, dW;
    bool same;
    jlong oH, oW;
    int pTop, pLeft;
};

inline bool conv_out(jlong in, int ek, int s, int p, bool same, jlong* out, int* pad) {
    if (same) {
        jlong o = (in + s - 1) / s;
        jlong total = (o - 1) * s + ek - in;
        *out = o;
        *pad = (int) (std::max<jlong>(0, total) / 2);
        return true;
    }
    jlong span = in + 2LL * p - ek;
    if (span < 0) {
        return false;
    }
    *out = span / s + 1;
    *pad = p;
    return true;
}

inline Conv make_conv(jlong n, jlong c, jlong h, jlong w, int kH, int kW, int sH, int sW, int padH, int padW,
                      int dH, int dW, bool same) {
    Conv g;
    g.n = n; g.c = c; g.h = h; g.w = w;
    g.kH = kH; g.kW = kW; g.sH = sH; g.sW = sW; g.padH = padH; g.padW = padW; g.dH = dH; g.dW = dW;
    g.same = same;
    if (!conv_out(h, kH + (kH - 1) * (dH - 1), sH, padH, same, &g.oH, &g.pTop)
        || !conv_out(w, kW + (kW - 1) * (dW - 1), sW, padW, same, &g.oW, &g.pLeft)) {
        fprintf(stdout, "invalid convolution case (window larger than the padded input)\n");
        exit(2);
    }
    return g;
}

inline jlong image_len(const Conv& g) { return g.n * g.c * g.h * g.w; }
inline jlong col_rows(const Conv& g) { return g.c * g.kH * g.kW; }
inline jlong col_cols(const Conv& g) { return g.n * g.oH * g.oW; }

inline std::string conv_label(const Conv& g) {
    char buf[200];
    snprintf(buf, sizeof buf, "n=%lld c=%lld h=%lld w=%lld k=%dx%d s=%dx%d %s d=%dx%d -> o=%lldx%lld", g.n, g.c, g.h,
             g.w, g.kH, g.kW, g.sH, g.sW,
             g.same ? ("same(top=" + std::to_string(g.pTop) + ",left=" + std::to_string(g.pLeft) + ")").c_str()
                    : ("p=" + std::to_string(g.padH) + "x" + std::to_string(g.padW)).c_str(),
             g.dH, g.dW, g.oH, g.oW);
    return buf;
}

/*
 * Visits every column-matrix entry (row (ch*kH + ky)*kW + kx, column (b*oH + oy)*oW + ox) with the
 * flat input index it reads, or -1 in the padding: nested loops over the convolution's windows.
 */
template <class F>
void for_each_window_entry(const Conv& g, F f) {
    jlong cols = col_cols(g);
    for (jlong ch = 0; ch < g.c; ch++)
        for (int ky = 0; ky < g.kH; ky++)
            for (int kx = 0; kx < g.kW; kx++) {
                jlong row = (ch * g.kH + ky) * g.kW + kx;
                for (jlong b = 0; b < g.n; b++)
                    for (jlong oy = 0; oy < g.oH; oy++)
                        for (jlong ox = 0; ox < g.oW; ox++) {
                            jlong y = oy * g.sH - g.pTop + (jlong) ky * g.dH;
                            jlong x = ox * g.sW - g.pLeft + (jlong) kx * g.dW;
                            bool inside = y >= 0 && y < g.h && x >= 0 && x < g.w;
                            f(row * cols + (b * g.oH + oy) * g.oW + ox, inside ? ((b * g.c + ch) * g.h + y) * g.w + x : -1);
                        }
            }
}

inline Words ref_im2col(const Words& in, const Conv& g) {
    Words out((size_t) (col_rows(g) * col_cols(g)));
    for_each_window_entry(g, [&](jlong m, jlong i) { out[(size_t) m] = i < 0 ? 0ULL : in[(size_t) i]; });
    return out;
}

/* col2im as a scatter-add (the kernel gathers). */
inline Words ref_col2im(const Words& cols, const Conv& g) {
    Words out((size_t) image_len(g), 0ULL);
    for_each_window_entry(g, [&](jlong m, jlong i) {
        if (i >= 0) out[(size_t) i] += cols[(size_t) m];
    });
    return out;
}

/* ---- reporting --------------------------------------------------------------------------------- */

struct Report {
    int passed = 0;
    int failed = 0;
    const char* ms_label = "gpu_ms";

    /* Counts mismatches between got and expected, printing the first few, then the result line. */
    bool check(const std::string& name, const std::string& shape, const ring_t* got, const ring_t* expected, size_t n,
               double ms) {
        size_t bad = 0;
        for (size_t i = 0; i < n; i++) {
            if (got[i] != expected[i]) {
                if (bad < 3) {
                    printf("  %s %s: index %zu got 0x%016llx expected 0x%016llx\n", name.c_str(), shape.c_str(), i,
                           (unsigned long long) got[i], (unsigned long long) expected[i]);
                }
                bad++;
            }
        }
        line(name, shape, bad, ms);
        return bad == 0;
    }

    void line(const std::string& name, const std::string& shape, size_t mismatches, double ms) {
        printf("%s %s mismatches=%zu %s=%.3f\n", name.c_str(), shape.c_str(), mismatches, ms_label, ms);
        fflush(stdout);
        if (mismatches == 0) passed++; else failed++;
    }

    /* A check without a timing (CPU self-test). */
    void self(const std::string& name, const std::string& shape, size_t mismatches) {
        printf("cpu-self-test %s %s mismatches=%zu\n", name.c_str(), shape.c_str(), mismatches);
        fflush(stdout);
        if (mismatches == 0) passed++; else failed++;
    }
};

inline size_t count_diff(const Words& a, const Words& b) {
    if (a.size() != b.size()) return std::max(a.size(), b.size());
    size_t bad = 0;
    for (size_t i = 0; i < a.size(); i++) bad += a[i] != b[i];
    return bad;
}

/* ---- the kernel cases ---------------------------------------------------------------------------- */

/* a length above the capped grid (8192 x 256 = 2097152 threads), so that the grid-stride loop wraps */
const jlong BIG_LENGTH = 2 * 1048576 + 4099;

typedef void (*BinaryKernel)(const ring_t*, const ring_t*, ring_t*, ring_index_t, ring_index_t, ring_index_t,
                             ring_index_t);
typedef void (*UnaryKernel)(const ring_t*, ring_t*, ring_index_t);
typedef void (*ShiftKernel)(const ring_t*, int, ring_t*, ring_index_t);

/* A device copy of a host vector, freed at scope exit. */
template <class B>
struct DeviceWords {
    B& be;
    ring_t* p;
    jlong n;
    DeviceWords(B& backend, jlong count) : be(backend), p(backend.alloc(count)), n(count) {}
    DeviceWords(B& backend, const Words& h) : be(backend), p(backend.alloc((jlong) h.size())), n((jlong) h.size()) {
        be.upload(p, h.data(), n);
    }
    ~DeviceWords() { be.release(p); }
    Words get() const {
        Words h((size_t) n);
        be.download(h.data(), p, n);
        return h;
    }
    DeviceWords(const DeviceWords&) = delete;
    DeviceWords& operator=(const DeviceWords&) = delete;
};

template <class Backend>
struct Cases {
    typedef Backend B;
    B& be;
    Report& rep;
    uint64_t seed;
    static constexpr jlong BIG = BIG_LENGTH;

    Cases(B& backend, Report& report, uint64_t s) : be(backend), rep(report), seed(s) {}

    enum BMode { SAME, ROW, COL };
    enum Alias { NONE, OUT_IS_A, OUT_IS_B };

    /* CudaRingOps.binary: same shape -> (1, len, 0, 1); row vector -> (rows, cols, 0, 1); column -> (rows, cols, 1, 0). */
    void binary(const char* name, BinaryKernel k, Op op, jlong rows, jlong cols, BMode mode, Alias alias = NONE) {
        jlong len = rows * cols;
        jlong blen = mode == SAME ? len : mode == ROW ? cols : rows;
        jlong R = mode == SAME ? 1 : rows, C = mode == SAME ? len : cols;
        jlong rs = mode == COL ? 1 : 0, cs = mode == COL ? 0 : 1;
        const char* suffix = alias == OUT_IS_A ? ",out=a" : alias == OUT_IS_B ? ",out=b" : "";
        char shape[160];
        if (mode == SAME) {
            snprintf(shape, sizeof shape, "n=%lld%s", len, suffix);
        } else {
            snprintf(shape, sizeof shape, "rows=%lld,cols=%lld,b=%s%s", rows, cols, mode == ROW ? "row" : "col", suffix);
        }
        Rng r = rng_for(seed, std::string(name) + shape);
        Words a = random_words(r, len), b = random_words(r, blen, true);
        Words expected = ref_binary(op, a, b, R, C, rs, cs);
        DeviceWords<B> da(be, a), db(be, b), dout(be, len);
        be.poison(dout.p, len);
        ring_t* out = alias == OUT_IS_A ? da.p : alias == OUT_IS_B ? db.p : dout.p;
        double ms = launch_elementwise(be, k, len, addr(da.p), addr(db.p), addr(out), R, C, rs, cs);
        Words got = alias == OUT_IS_A ? da.get() : alias == OUT_IS_B ? db.get() : dout.get();
        rep.check(name, shape, got.data(), expected.data(), expected.size(), ms);
    }

    /* CudaRingOps.unary: (a, out, n). */
    void unary(const char* name, UnaryKernel k, Op op, jlong n, bool in_place = false) {
        std::string shape = "n=" + std::to_string(n) + (in_place ? ",out=a" : "");
        Rng r = rng_for(seed, name + shape);
        Words a = random_words(r, n), expected(a.size());
        for (size_t i = 0; i < a.size(); i++) expected[i] = op == NEG ? 0ULL - a[i] : ~a[i];
        DeviceWords<B> da(be, a), dout(be, n);
        be.poison(dout.p, n);
        ring_t* out = in_place ? da.p : dout.p;
        double ms = launch_elementwise(be, k, n, addr(da.p), addr(out), (jlong) n);
        Words got = in_place ? da.get() : dout.get();
        rep.check(name, shape, got.data(), expected.data(), expected.size(), ms);
    }

    /* CudaRingOps.mulConstant: (a, k, out, n) with k a Long. */
    void mul_const(jlong n, bool random_k, uint64_t kfixed = 0) {
        std::string label = "ring_mul_const_kernel n=" + std::to_string(n) + (random_k ? "" : " k=" + std::to_string(kfixed));
        Rng r = rng_for(seed, label);
        uint64_t kv = random_k ? (r.next() | 0x8000000000000001ULL) : kfixed;
        char shape[96];
        snprintf(shape, sizeof shape, "n=%lld,k=0x%llx", n, (unsigned long long) kv);
        Words a = random_words(r, n), expected(a.size());
        for (size_t i = 0; i < a.size(); i++) expected[i] = a[i] * kv;
        DeviceWords<B> da(be, a), dout(be, n);
        be.poison(dout.p, n);
        double ms = launch_elementwise(be, ring_mul_const_kernel, n, addr(da.p), (jlong) kv, addr(dout.p), (jlong) n);
        Words got = dout.get();
        rep.check("ring_mul_const_kernel", shape, got.data(), expected.data(), expected.size(), ms);
    }

    /* CudaRingOps.shift: (a, s, out, n) with s an Integer, for each listed s; one line for all of them. */
    void shift(const char* name, ShiftKernel k, Op op, jlong n, const std::vector<int>& amounts, const char* slabel) {
        std::string shape = "n=" + std::to_string(n) + ",s=" + slabel;
        Rng r = rng_for(seed, name + shape);
        Words a = random_words(r, n);
        DeviceWords<B> da(be, a), dout(be, n);
        Words got, expected(a.size()), all_got, all_expected;
        double ms = 0;
        for (int s : amounts) {
            for (size_t i = 0; i < a.size(); i++) expected[i] = plain_shift(op, a[i], s);
            be.poison(dout.p, n);
            ms += launch_elementwise(be, k, n, addr(da.p), (jint) s, addr(dout.p), (jlong) n);
            got = dout.get();
            all_got.insert(all_got.end(), got.begin(), got.end());
            all_expected.insert(all_expected.end(), expected.begin(), expected.end());
        }
        rep.check(name, shape, all_got.data(), all_expected.data(), all_expected.size(), ms);
    }

    /*
     * CudaRingOps.matmul: (A, B, C, m, n, k, lda = stored row length of A, ldb = that of B, ldc = n,
     * transA, transB) on ceil(n/16) x ceil(m/16) blocks. pad > 0 adds pad to every leading dimension
     * (a kernel feature the Java side does not use); the padding of C must stay untouched.
     */
    void matmul(jlong m, jlong n, jlong k, int ta, int tb, jlong pad = 0) {
        jlong aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
        jlong lda = aCols + pad, ldb = bCols + pad, ldc = n + pad;
        char shape[160];
        snprintf(shape, sizeof shape, "m=%lld,n=%lld,k=%lld,transA=%d,transB=%d%s", m, n, k, ta, tb,
                 pad ? (",ld+" + std::to_string(pad)).c_str() : "");
        Rng r = rng_for(seed, std::string("matmul") + shape);
        Words hA = random_words(r, aRows * lda), hB = random_words(r, bRows * ldb, true);
        Words poisoned(std::max<jlong>(m * ldc, 0));
        DeviceWords<B> dA(be, hA), dB(be, hB), dC(be, m * ldc);
        be.poison(dC.p, m * ldc);
        be.download(poisoned.data(), dC.p, m * ldc);
        Words expected = poisoned;
        ref_matmul(hA.data(), hB.data(), expected.data(), m, n, k, lda, ldb, ldc, ta, tb);
        double ms = launch_matmul(be, ring_matmul_kernel, m, n, addr(dA.p), addr(dB.p), addr(dC.p), m, n, k, lda, ldb,
                                  ldc, (jint) ta, (jint) tb);
        Words got = dC.get();
        rep.check("ring_matmul_kernel", shape, got.data(), expected.data(), expected.size(), ms);
    }

    /* CudaRingOps.im2col / col2im: (src, out, n, c, h, w as Longs, kH..dW as Integers, oH, oW as Longs). */
    void conv(const Conv& g) {
        std::string shape = conv_label(g);
        Rng r = rng_for(seed, "conv " + shape);
        Words in = random_words(r, image_len(g)), cols = random_words(r, col_rows(g) * col_cols(g), true);
        {
            Words expected = ref_im2col(in, g);
            DeviceWords<B> din(be, in), dout(be, (jlong) expected.size());
            be.poison(dout.p, dout.n);
            double ms = launch_elementwise(be, ring_im2col_kernel, dout.n, addr(din.p), addr(dout.p), g.n, g.c, g.h, g.w,
                                           (jint) g.kH, (jint) g.kW, (jint) g.sH, (jint) g.sW, (jint) g.pTop,
                                           (jint) g.pLeft, (jint) g.dH, (jint) g.dW, g.oH, g.oW);
            Words got = dout.get();
            rep.check("ring_im2col_kernel", shape, got.data(), expected.data(), expected.size(), ms);
        }
        {
            Words expected = ref_col2im(cols, g);
            DeviceWords<B> dcols(be, cols), dout(be, (jlong) expected.size());
            be.poison(dout.p, dout.n);
            double ms = launch_elementwise(be, ring_col2im_kernel, dout.n, addr(dcols.p), addr(dout.p), g.n, g.c, g.h,
                                           g.w, (jint) g.kH, (jint) g.kW, (jint) g.sH, (jint) g.sW, (jint) g.pTop,
                                           (jint) g.pLeft, (jint) g.dH, (jint) g.dW, g.oH, g.oW);
            Words got = dout.get();
            rep.check("ring_col2im_kernel", shape, got.data(), expected.data(), expected.size(), ms);
        }
    }

    /* Every kernel of ring_kernels.cu on awkward shapes. big = false leaves out the largest cases. */
    void run_all(bool big) {
        struct NamedBinary {
            const char* name;
            BinaryKernel k;
            Op op;
        };
        const NamedBinary binaries[] = {{"ring_add_kernel", ring_add_kernel, ADD},
                                        {"ring_sub_kernel", ring_sub_kernel, SUB},
                                        {"ring_mul_kernel", ring_mul_kernel, MUL},
                                        {"ring_xor_kernel", ring_xor_kernel, XOR},
                                        {"ring_and_kernel", ring_and_kernel, AND}};
        for (const NamedBinary& b : binaries) {
            const jlong lengths[] = {1, 255, 256, 257, 65537, BIG};
            for (jlong n : lengths) {
                if (n == BIG && !big) continue;
                binary(b.name, b.k, b.op, 1, n, SAME);
            }
            binary(b.name, b.k, b.op, 1, 1, ROW);
            binary(b.name, b.k, b.op, 3, 257, ROW);
            binary(b.name, b.k, b.op, 1000, 17, ROW);
            binary(b.name, b.k, b.op, 1, 1, COL);
            binary(b.name, b.k, b.op, 257, 3, COL);
            binary(b.name, b.k, b.op, 17, 1000, COL);
            if (big) binary(b.name, b.k, b.op, 4099, 513, COL);
            binary(b.name, b.k, b.op, 1, 1025, SAME, OUT_IS_A);
            binary(b.name, b.k, b.op, 1, 1025, SAME, OUT_IS_B);
            binary(b.name, b.k, b.op, 33, 31, ROW, OUT_IS_A);
        }
        const jlong ulengths[] = {1, 257, 65537, BIG};
        for (jlong n : ulengths) {
            if (n == BIG && !big) continue;
            unary("ring_neg_kernel", ring_neg_kernel, NEG, n);
            unary("ring_not_kernel", ring_not_kernel, NOT, n);
        }
        unary("ring_neg_kernel", ring_neg_kernel, NEG, 1000, true);
        unary("ring_not_kernel", ring_not_kernel, NOT, 1000, true);

        mul_const(1, true);
        mul_const(257, true);
        if (big) mul_const(BIG, true);
        const uint64_t ks[] = {0ULL, 1ULL, ~0ULL, 0x8000000000000000ULL};
        for (uint64_t kv : ks) mul_const(1000, false, kv);

        std::vector<int> every;
        for (int s = 0; s < 64; s++) every.push_back(s);
        const std::vector<int> some = {0, 1, 31, 32, 63};
        struct NamedShift {
            const char* name;
            ShiftKernel k;
            Op op;
        };
        const NamedShift shifts[] = {{"ring_shl_kernel", ring_shl_kernel, SHL},
                                     {"ring_shr_kernel", ring_shr_kernel, SHR},
                                     {"ring_sar_kernel", ring_sar_kernel, SAR}};
        for (const NamedShift& s : shifts) {
            shift(s.name, s.k, s.op, 1, every, "0..63");
            shift(s.name, s.k, s.op, 1000, every, "0..63");
            if (big) shift(s.name, s.k, s.op, BIG, some, "0,1,31,32,63");
        }

        const jlong mm[][3] = {{1, 1, 1},    {1, 1, 17},   {7, 5, 3},    {16, 16, 16},  {17, 19, 33},
                               {33, 1, 47},  {1, 64, 5},   {64, 48, 100}, {129, 65, 31}, {5, 7, 0},
                               {2, 3, 1000}, {255, 257, 129}};
        for (const auto& s : mm) {
            if (!big && s[0] * s[1] * s[2] > 1000000) continue;
            for (int t = 0; t < 4; t++) matmul(s[0], s[1], s[2], t & 1, (t >> 1) & 1);
        }
        matmul(17, 19, 33, 0, 0, 3);
        matmul(17, 19, 33, 1, 1, 5);

        /* n, c, h, w, kH, kW, sH, sW, padH, padW, dH, dW, Same mode */
        conv(make_conv(2, 1, 8, 8, 5, 5, 1, 1, 0, 0, 1, 1, false));
        conv(make_conv(1, 3, 7, 9, 3, 2, 2, 3, 1, 1, 1, 1, false));
        conv(make_conv(2, 2, 6, 5, 3, 3, 1, 1, 2, 2, 2, 2, false));
        conv(make_conv(1, 2, 5, 5, 2, 2, 2, 2, 0, 0, 1, 1, false));   /* Truncate drops the last row/column */
        conv(make_conv(3, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, false));   /* 1-pixel images */
        conv(make_conv(1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, false));   /* one element */
        conv(make_conv(2, 3, 9, 8, 3, 2, 2, 3, 0, 0, 2, 1, true));    /* Same with stride and dilation */
        conv(make_conv(1, 2, 7, 6, 4, 4, 1, 1, 0, 0, 1, 1, true));    /* Same, even kernel: one more pad below/right */
        conv(make_conv(1, 1, 10, 10, 2, 2, 3, 3, 0, 0, 1, 1, false)); /* stride > kernel: unread pixels */
        conv(make_conv(1, 2, 4, 4, 3, 3, 1, 1, 3, 3, 1, 1, false));   /* windows entirely in the padding */
        conv(make_conv(2, 3, 11, 7, 3, 2, 2, 1, 2, 1, 3, 2, false));  /* rectangular everything */
        if (big) conv(make_conv(16, 16, 32, 32, 3, 3, 1, 1, 1, 1, 1, 1, false)); /* 2.36M columns entries */
    }
};

/* ---- CPU self-test: the references cross-checked against ring_arith.cuh and each other ---------------- */

inline Words matmul_words(const Words& A, const Words& B, jlong m, jlong n, jlong k, int ta, int tb) {
    Words C((size_t) (m * n));
    ref_matmul(A.data(), B.data(), C.data(), m, n, k, ta ? m : k, tb ? k : n, n, ta, tb);
    return C;
}

/* op(X) materialised as a c-order rows x cols matrix by ring_matrix_at (the kernel's tile loader). */
inline Words materialise(const Words& X, jlong rows, jlong cols, int trans) {
    Words out((size_t) (rows * cols));
    jlong ld = trans ? rows : cols;
    for (jlong r = 0; r < rows; r++)
        for (jlong c = 0; c < cols; c++) out[(size_t) (r * cols + c)] = ring_matrix_at(X.data(), r, c, ld, trans);
    return out;
}

inline ring_im2col_geometry header_geometry(const Conv& g) {
    ring_im2col_geometry h;
    h.n = g.n; h.c = g.c; h.h = g.h; h.w = g.w;
    h.kH = g.kH; h.kW = g.kW; h.sH = g.sH; h.sW = g.sW; h.pH = g.pTop; h.pW = g.pLeft; h.dH = g.dH; h.dW = g.dW;
    h.oH = g.oH; h.oW = g.oW;
    return h;
}

inline int self_test_cpu(uint64_t seed, Report& rep) {
    Rng r = rng_for(seed, "self-test");
    const jlong N = 4096;
    Words a = random_words(r, N), b = random_words(r, N, true);

    /* elementwise: ring_arith.cuh (what the kernels call) against the plain operators */
    {
        const Op ops[] = {ADD, SUB, MUL, XOR, AND};
        const char* names[] = {"ring_add", "ring_sub", "ring_mul", "ring_xor", "ring_and"};
        for (int o = 0; o < 5; o++) {
            size_t bad = 0;
            for (jlong i = 0; i < N; i++) {
                ring_t x = a[(size_t) i], y = b[(size_t) i];
                ring_t h = o == 0 ? ring_add(x, y) : o == 1 ? ring_sub(x, y) : o == 2 ? ring_mul(x, y)
                         : o == 3 ? ring_xor(x, y) : ring_and(x, y);
                bad += h != plain_binary(ops[o], x, y);
            }
            rep.self(std::string(names[o]) + "_vs_plain", "n=4096", bad);
        }
        size_t bad = 0;
        for (jlong i = 0; i < N; i++) {
            ring_t x = a[(size_t) i];
            bad += ring_neg(x) != 0ULL - x;
            bad += ring_not(x) != ~x;
            bad += ring_madd(b[(size_t) i], x, a[(size_t) (N - 1 - i)]) != b[(size_t) i] + x * a[(size_t) (N - 1 - i)];
        }
        rep.self("ring_neg_not_madd_vs_plain", "n=4096", bad);
        size_t sbad = 0;
        for (int s = 0; s < 64; s++)
            for (jlong i = 0; i < 256; i++) {
                ring_t x = a[(size_t) i];
                sbad += ring_shl(x, s) != plain_shift(SHL, x, s);
                sbad += ring_shr(x, s) != plain_shift(SHR, x, s);
                sbad += ring_sar(x, s) != plain_shift(SAR, x, s);
                /* sar without a signed shift: the logical shift with the sign copied into the vacated bits */
                ring_t fill = (x >> 63) && s ? ~(~0ULL >> s) : 0ULL;
                sbad += plain_sar(x, s) != ((x >> s) | fill);
            }
        rep.self("ring_shl_shr_sar_vs_plain", "n=256,s=0..63", sbad);
        /* known answers (Java: Long.MIN_VALUE >> 63 == -1, -1L >>> 63 == 1, 1L << 63 == MIN_VALUE, MIN * -1 == MIN) */
        size_t kbad = 0;
        kbad += ring_sar(0x8000000000000000ULL, 63) != ~0ULL;
        kbad += ring_sar(0x4000000000000000ULL, 62) != 1ULL;
        kbad += ring_shr(~0ULL, 63) != 1ULL;
        kbad += ring_shl(1ULL, 63) != 0x8000000000000000ULL;
        kbad += ring_mul(0x8000000000000000ULL, ~0ULL) != 0x8000000000000000ULL;
        kbad += ring_add(~0ULL, 1ULL) != 0ULL;
        kbad += ring_sub(0ULL, 1ULL) != ~0ULL;
        kbad += ring_neg(0x8000000000000000ULL) != 0x8000000000000000ULL;
        kbad += ring_mul(0xFFFFFFFFFFFFFFFFULL, 0xFFFFFFFFFFFFFFFFULL) != 1ULL;
        kbad += ring_mul(0x100000001ULL, 0x100000001ULL) != 0x200000001ULL;
        rep.self("ring_arith_known_answers", "10_words", kbad);
    }

    /* broadcast indexing of the binary reference against materialised b */
    {
        size_t bad = 0;
        const jlong shapes[][2] = {{1, 1}, {3, 257}, {17, 5}};
        for (const auto& s : shapes) {
            jlong rows = s[0], cols = s[1];
            Words x = random_words(r, rows * cols), row = random_words(r, cols), col = random_words(r, rows);
            Words fr(x.size()), fc(x.size());
            for (jlong i = 0; i < rows; i++)
                for (jlong j = 0; j < cols; j++) {
                    fr[(size_t) (i * cols + j)] = row[(size_t) j];
                    fc[(size_t) (i * cols + j)] = col[(size_t) i];
                }
            bad += count_diff(ref_binary(SUB, x, row, rows, cols, 0, 1), ref_binary(SUB, x, fr, 1, rows * cols, 0, 1));
            bad += count_diff(ref_binary(SUB, x, col, rows, cols, 1, 0), ref_binary(SUB, x, fc, 1, rows * cols, 0, 1));
        }
        rep.self("ref_binary_broadcast_vs_materialised", "3_shapes", bad);
    }

    /* matmul reference: against a materialised-operand i-q-j loop, associativity, transposition, known answer */
    {
        size_t bad = 0, abad = 0, tbad = 0;
        const jlong shapes[][3] = {{1, 1, 1}, {7, 5, 3}, {17, 19, 33}, {2, 31, 1}, {16, 16, 16}, {5, 7, 0}};
        for (const auto& s : shapes) {
            jlong m = s[0], n = s[1], k = s[2];
            for (int t = 0; t < 4; t++) {
                int ta = t & 1, tb = (t >> 1) & 1;
                Words A = random_words(r, m * k), B = random_words(r, k * n, true);
                Words C = matmul_words(A, B, m, n, k, ta, tb);
                Words opA = materialise(A, m, k, ta), opB = materialise(B, k, n, tb);
                Words D((size_t) (m * n), 0ULL);
                for (jlong i = 0; i < m; i++)
                    for (jlong q = 0; q < k; q++)
                        for (jlong j = 0; j < n; j++)
                            D[(size_t) (i * n + j)] = ring_madd(D[(size_t) (i * n + j)], opA[(size_t) (i * k + q)],
                                                                opB[(size_t) (q * n + j)]);
                bad += count_diff(C, D);
                /* (op(A) op(B))^T = op(B)^T op(A)^T: the transposed product through the trans flags */
                Words CT = matmul_words(B, A, n, m, k, !tb, !ta);
                for (jlong i = 0; i < m; i++)
                    for (jlong j = 0; j < n; j++) tbad += CT[(size_t) (j * m + i)] != C[(size_t) (i * n + j)];
            }
            /* (A B) E = A (B E) in the ring */
            Words A = random_words(r, m * k), B = random_words(r, k * n), E = random_words(r, n * 3);
            abad += count_diff(matmul_words(matmul_words(A, B, m, n, k, 0, 0), E, m, 3, n, 0, 0),
                               matmul_words(A, matmul_words(B, E, k, 3, n, 0, 0), m, 3, k, 0, 0));
        }
        rep.self("ref_matmul_vs_materialised_iqj", "6_shapes_x_4_transposes", bad);
        rep.self("ref_matmul_transpose_identity", "6_shapes_x_4_transposes", tbad);
        rep.self("ref_matmul_associativity", "6_shapes", abad);
        /* [[2^63, 1], [3, -1]] * [[2, 5], [7, 2^32]] mod 2^64 */
        Words A = {0x8000000000000000ULL, 1ULL, 3ULL, ~0ULL}, B = {2ULL, 5ULL, 7ULL, 0x100000000ULL};
        Words C = matmul_words(A, B, 2, 2, 2, 0, 0);
        Words K = {7ULL, 0x8000000100000000ULL, 6ULL - 7ULL, 15ULL - 0x100000000ULL};
        rep.self("ref_matmul_known_answer", "2x2", count_diff(C, K));
    }

    /* im2col / col2im references against the header's gather functions, adjointness, direct convolution */
    {
        const Conv gs[] = {make_conv(2, 1, 8, 8, 5, 5, 1, 1, 0, 0, 1, 1, false),
                           make_conv(1, 3, 7, 9, 3, 2, 2, 3, 1, 1, 1, 1, false),
                           make_conv(2, 2, 6, 5, 3, 3, 1, 1, 2, 2, 2, 2, false),
                           make_conv(2, 3, 9, 8, 3, 2, 2, 3, 0, 0, 2, 1, true),
                           make_conv(1, 2, 7, 6, 4, 4, 1, 1, 0, 0, 1, 1, true),
                           make_conv(1, 1, 10, 10, 2, 2, 3, 3, 0, 0, 1, 1, false),
                           make_conv(1, 2, 4, 4, 3, 3, 1, 1, 3, 3, 1, 1, false),
                           make_conv(3, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, false)};
        size_t ibad = 0, cbad = 0, adj = 0, dbad = 0, lbad = 0;
        for (const Conv& g : gs) {
            ring_im2col_geometry hg = header_geometry(g);
            lbad += ring_im2col_length(hg) != col_rows(g) * col_cols(g);
            Words x = random_words(r, image_len(g)), y = random_words(r, col_rows(g) * col_cols(g));
            Words cx = ref_im2col(x, g), iy = ref_col2im(y, g);
            for (jlong i = 0; i < (jlong) cx.size(); i++) ibad += ring_im2col_at(x.data(), hg, i) != cx[(size_t) i];
            for (jlong i = 0; i < (jlong) iy.size(); i++) cbad += ring_col2im_at(y.data(), hg, i) != iy[(size_t) i];
            /* <im2col(x), y> == <x, col2im(y)> mod 2^64 */
            uint64_t lhs = 0, rhs = 0;
            for (size_t i = 0; i < cx.size(); i++) lhs += cx[i] * y[i];
            for (size_t i = 0; i < x.size(); i++) rhs += x[i] * iy[i];
            adj += lhs != rhs;
            /* conv2d as weights [oc, c*kH*kW] x im2col(x) equals the direct sum over each window */
            jlong oc = 2;
            Words W = random_words(r, oc * col_rows(g));
            Words viaMatmul = matmul_words(W, cx, oc, col_cols(g), col_rows(g), 0, 0);
            for (jlong o = 0; o < oc; o++)
                for (jlong bb = 0; bb < g.n; bb++)
                    for (jlong oy = 0; oy < g.oH; oy++)
                        for (jlong ox = 0; ox < g.oW; ox++) {
                            uint64_t acc = 0;
                            for (jlong ch = 0; ch < g.c; ch++)
                                for (int ky = 0; ky < g.kH; ky++)
                                    for (int kx = 0; kx < g.kW; kx++) {
                                        jlong yy = oy * g.sH - g.pTop + (jlong) ky * g.dH, xx = ox * g.sW - g.pLeft + (jlong) kx * g.dW;
                                        if (yy < 0 || yy >= g.h || xx < 0 || xx >= g.w) continue;
                                        acc += W[(size_t) (o * col_rows(g) + (ch * g.kH + ky) * g.kW + kx)]
                                             * x[(size_t) (((bb * g.c + ch) * g.h + yy) * g.w + xx)];
                                    }
                            dbad += acc != viaMatmul[(size_t) (o * col_cols(g) + (bb * g.oH + oy) * g.oW + ox)];
                        }
        }
        rep.self("ref_im2col_vs_ring_im2col_at", "8_geometries", ibad);
        rep.self("ref_col2im_vs_ring_col2im_at", "8_geometries", cbad);
        rep.self("im2col_col2im_adjoint", "8_geometries", adj);
        rep.self("im2col_matmul_vs_direct_conv", "8_geometries", dbad);
        rep.self("ring_im2col_length", "8_geometries", lbad);
        /* ConvGeometry's Same padding: h=7, k=4, s=1 -> out 7, total pad 3, top 1 (one more at the bottom) */
        Conv s = make_conv(1, 1, 7, 6, 4, 4, 1, 1, 0, 0, 1, 1, true);
        Conv t = make_conv(1, 1, 9, 8, 3, 2, 2, 3, 0, 0, 2, 1, true); /* ek 5x2: out 5x3, pads (4+5-9)/2=2, (6+2-8)/2=0 */
        Conv u = make_conv(1, 1, 5, 5, 2, 2, 2, 2, 0, 0, 1, 1, false); /* (5-2)/2+1 = 2 */
        size_t gbad = (s.oH != 7) + (s.pTop != 1) + (s.oW != 6) + (s.pLeft != 1) + (t.oH != 5) + (t.pTop != 2)
                    + (t.oW != 3) + (t.pLeft != 0) + (u.oH != 2) + (u.oW != 2);
        rep.self("conv_geometry_known_answers", "3_geometries", gbad);
        /* 1x1 kernel, stride 1: im2col is the NCHW -> C(NHW) permutation */
        Conv p = make_conv(2, 3, 2, 2, 1, 1, 1, 1, 0, 0, 1, 1, false);
        Words x2(24), expect = {0, 1, 2, 3, 12, 13, 14, 15, 4, 5, 6, 7, 16, 17, 18, 19, 8, 9, 10, 11, 20, 21, 22, 23};
        for (size_t i = 0; i < x2.size(); i++) x2[i] = i;
        rep.self("im2col_1x1_known_answer", "n=2,c=3,2x2", count_diff(ref_im2col(x2, p), expect));
    }

    /* the grid-stride loop under the Java launch geometry visits every index exactly once */
    {
        size_t bad = 0;
        const jlong ns[] = {1, 255, 256, 257, 8192 * 256 - 1, 8192 * 256, 8192 * 256 + 1, BIG_LENGTH};
        for (jlong n : ns) {
            Dims d = elementwise_dims(n);
            jlong stride = (jlong) d.gx * d.bx;
            bad += d.bx != 256 || d.gx < 1 || d.gx > 8192 || (n <= stride && (jlong) d.gx != (n + 255) / 256);
            std::vector<unsigned char> seen((size_t) n, 0);
            for (jlong t = 0; t < stride; t++)
                for (jlong i = t; i < n; i += stride) seen[(size_t) i]++;
            for (unsigned char v : seen) bad += v != 1;
        }
        Dims m = matmul_dims(17, 33);
        bad += m.gx != 3 || m.gy != 2 || m.bx != 16 || m.by != 16;
        rep.self("java_launch_geometry", "8_lengths+matmul", bad);
    }
    return rep.failed;
}

} // namespace rh

#endif

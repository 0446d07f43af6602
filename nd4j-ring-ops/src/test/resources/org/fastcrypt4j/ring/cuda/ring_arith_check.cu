/*
 * Host-side check of ring_arith.cuh: reads commands and hex operands from stdin, applies the
 * header's __host__ __device__ functions and prints each result as one unsigned hex word per line.
 * RingArithHostTest generates the input and compares the output with Java's long arithmetic.
 *
 *   add|sub|mul|xor|and N  a_1..a_N b_1..b_N
 *   neg|not N              a_1..a_N
 *   mulc K N               a_1..a_N
 *   shl|shr|sar S N        a_1..a_N
 *   matmul M N K TA TB     A (K x M if TA else M x K) then B (N x K if TB else K x N), c-order
 *   im2col N C H W KH KW SH SW PH PW DH DW OH OW   input N*C*H*W values, c-order
 *   col2im N C H W KH KW SH SW PH PW DH DW OH OW   column matrix C*KH*KW*N*OH*OW values, c-order
 */
#include <cstdio>
#include <cstring>
#include <vector>
#include "ring_arith.cuh"

static std::vector<ring_t> read_words(long long count) {
    std::vector<ring_t> v((size_t) count);
    for (long long i = 0; i < count; i++) {
        if (scanf("%llx", &v[(size_t) i]) != 1) {
            fprintf(stderr, "expected %lld hex words, got %lld\n", count, i);
            throw 1;
        }
    }
    return v;
}

static void print_words(const std::vector<ring_t>& v) {
    for (size_t i = 0; i < v.size(); i++) {
        printf("%llx\n", v[i]);
    }
}

static ring_t binary(const char* op, ring_t a, ring_t b) {
    if (!strcmp(op, "add")) return ring_add(a, b);
    if (!strcmp(op, "sub")) return ring_sub(a, b);
    if (!strcmp(op, "mul")) return ring_mul(a, b);
    if (!strcmp(op, "xor")) return ring_xor(a, b);
    return ring_and(a, b);
}

static ring_t shift(const char* op, ring_t a, int s) {
    if (!strcmp(op, "shl")) return ring_shl(a, s);
    if (!strcmp(op, "shr")) return ring_shr(a, s);
    return ring_sar(a, s);
}

int main() {
    char op[16];
    try {
        while (scanf("%15s", op) == 1) {
            if (!strcmp(op, "add") || !strcmp(op, "sub") || !strcmp(op, "mul") || !strcmp(op, "xor")
                    || !strcmp(op, "and")) {
                long long n;
                if (scanf("%lld", &n) != 1) throw 1;
                std::vector<ring_t> a = read_words(n), b = read_words(n), out((size_t) n);
                for (size_t i = 0; i < out.size(); i++) out[i] = binary(op, a[i], b[i]);
                print_words(out);
            } else if (!strcmp(op, "neg") || !strcmp(op, "not")) {
                long long n;
                if (scanf("%lld", &n) != 1) throw 1;
                std::vector<ring_t> a = read_words(n);
                for (size_t i = 0; i < a.size(); i++) a[i] = !strcmp(op, "neg") ? ring_neg(a[i]) : ring_not(a[i]);
                print_words(a);
            } else if (!strcmp(op, "mulc")) {
                ring_t k;
                long long n;
                if (scanf("%llx %lld", &k, &n) != 2) throw 1;
                std::vector<ring_t> a = read_words(n);
                for (size_t i = 0; i < a.size(); i++) a[i] = ring_mul(a[i], k);
                print_words(a);
            } else if (!strcmp(op, "shl") || !strcmp(op, "shr") || !strcmp(op, "sar")) {
                int s;
                long long n;
                if (scanf("%d %lld", &s, &n) != 2) throw 1;
                std::vector<ring_t> a = read_words(n);
                for (size_t i = 0; i < a.size(); i++) a[i] = shift(op, a[i], s);
                print_words(a);
            } else if (!strcmp(op, "matmul")) {
                long long m, n, k;
                int ta, tb;
                if (scanf("%lld %lld %lld %d %d", &m, &n, &k, &ta, &tb) != 5) throw 1;
                std::vector<ring_t> a = read_words(m * k), b = read_words(k * n), c((size_t) (m * n));
                long long lda = ta ? m : k, ldb = tb ? k : n;
                for (long long i = 0; i < m; i++) {
                    for (long long j = 0; j < n; j++) {
                        ring_t acc = 0ULL;
                        for (long long q = 0; q < k; q++) {
                            acc = ring_madd(acc, ring_matrix_at(a.data(), i, q, lda, ta),
                                            ring_matrix_at(b.data(), q, j, ldb, tb));
                        }
                        c[(size_t) (i * n + j)] = acc;
                    }
                }
                print_words(c);
            } else if (!strcmp(op, "im2col") || !strcmp(op, "col2im")) {
                ring_im2col_geometry g;
                if (scanf("%lld %lld %lld %lld %d %d %d %d %d %d %d %d %lld %lld", &g.n, &g.c, &g.h, &g.w,
                          &g.kH, &g.kW, &g.sH, &g.sW, &g.pH, &g.pW, &g.dH, &g.dW, &g.oH, &g.oW) != 14) throw 1;
                long long image = g.n * g.c * g.h * g.w;
                if (!strcmp(op, "im2col")) {
                    std::vector<ring_t> in = read_words(image), out((size_t) ring_im2col_length(g));
                    for (size_t i = 0; i < out.size(); i++) out[i] = ring_im2col_at(in.data(), g, (ring_index_t) i);
                    print_words(out);
                } else {
                    std::vector<ring_t> cols = read_words(ring_im2col_length(g)), out((size_t) image);
                    for (size_t i = 0; i < out.size(); i++) out[i] = ring_col2im_at(cols.data(), g, (ring_index_t) i);
                    print_words(out);
                }
            } else {
                fprintf(stderr, "unknown command '%s'\n", op);
                return 2;
            }
        }
    } catch (int) {
        fprintf(stderr, "malformed input at command '%s'\n", op);
        return 3;
    }
    return 0;
}

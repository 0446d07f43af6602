package org.fastcrypt4j.ring;

import java.util.Arrays;

/**
 * Sums over a window of neighbouring channels of an NCHW ring tensor {@code [N, C, H, W]}, as local response
 * normalization needs: output {@code (n, c, h, w)} is the sum of the inputs {@code (n, c', h, w)} for
 * {@code max(0, c - half) <= c' <= min(C - 1, c + half)}. The window is symmetric, so the map is its own adjoint
 * (the backward pass is the same sum). Additions only, exact in Z_2^64: applied to each component of a replicated
 * sharing it sums the shared values without communication.
 */
public final class ChannelWindows {

    private ChannelWindows() {
    }

    /** The sum over channels {@code c - half .. c + half} (clipped at the ends), for every position. */
    public static RingTensor sum(RingTensor x, int half) {
        long[] s = x.shape();
        if (s.length != 4) {
            throw new IllegalArgumentException("channel windows need an NCHW input, got shape " + Arrays.toString(s));
        }
        if (half < 0) {
            throw new IllegalArgumentException("channel window half-width must be non-negative, got " + half);
        }
        int n = Math.toIntExact(s[0]);
        int c = Math.toIntExact(s[1]);
        int plane = Math.toIntExact(Math.multiplyExact(s[2], s[3]));
        long[] in = x.toLongArray();
        long[] out = new long[in.length];
        long[] acc = new long[plane];
        for (int b = 0; b < n; b++) {
            int base = b * c * plane;
            // running window: acc holds the sum of channels lo..hi of this example
            Arrays.fill(acc, 0L);
            int hi = -1;
            int lo = 0;
            for (int ch = 0; ch < c; ch++) {
                int wantHi = Math.min(c - 1, ch + half);
                int wantLo = Math.max(0, ch - half);
                while (hi < wantHi) {
                    hi++;
                    int off = base + hi * plane;
                    for (int i = 0; i < plane; i++) {
                        acc[i] += in[off + i];
                    }
                }
                while (lo < wantLo) {
                    int off = base + lo * plane;
                    for (int i = 0; i < plane; i++) {
                        acc[i] -= in[off + i];
                    }
                    lo++;
                }
                System.arraycopy(acc, 0, out, base + ch * plane, plane);
            }
        }
        return RingTensor.of(out, s);
    }
}

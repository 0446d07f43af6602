package org.fastcrypt4j.ring;

import java.util.Locale;
import java.util.Objects;

/**
 * The geometry of a 2-D convolution with DL4J's semantics: kernel, stride, padding, dilation and
 * {@link Mode} (DL4J's {@code ConvolutionMode} Truncate / Same / Strict).
 *
 * <p>With effective kernel {@code ek = k + (k - 1) * (d - 1)}:
 * <ul>
 *   <li>{@link Mode#TRUNCATE}: {@code out = floor((in + 2p - ek) / s) + 1}; input rows/columns that do
 *       not fit a whole window are dropped.</li>
 *   <li>{@link Mode#STRICT}: the same formula, but {@code (in + 2p - ek)} must be divisible by
 *       {@code s}, otherwise {@link #outputHeight}/{@link #outputWidth} throw.</li>
 *   <li>{@link Mode#SAME}: the configured padding is ignored; {@code out = ceil(in / s)} and the total
 *       padding {@code max(0, (out - 1) * s + ek - in)} is split with the smaller half on top/left
 *       (the extra row/column at the bottom/right), as DL4J and libnd4j do.</li>
 * </ul>
 * Immutable.
 */
public final class ConvGeometry {

    /** DL4J's {@code ConvolutionMode} values that apply to 2-D convolutions. */
    public enum Mode { TRUNCATE, SAME, STRICT }

    private final int kernelH;
    private final int kernelW;
    private final int strideH;
    private final int strideW;
    private final int padH;
    private final int padW;
    private final int dilationH;
    private final int dilationW;
    private final Mode mode;

    private ConvGeometry(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW,
                         int dilationH, int dilationW, Mode mode) {
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.strideH = strideH;
        this.strideW = strideW;
        this.padH = padH;
        this.padW = padW;
        this.dilationH = dilationH;
        this.dilationW = dilationW;
        this.mode = Objects.requireNonNull(mode, "mode");
        requirePositive("kernel", kernelH, kernelW);
        requirePositive("stride", strideH, strideW);
        requirePositive("dilation", dilationH, dilationW);
        if (padH < 0 || padW < 0) {
            throw new IllegalArgumentException("padding must be >= 0, got " + padH + "x" + padW);
        }
    }

    private static void requirePositive(String what, int h, int w) {
        if (h <= 0 || w <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + h + "x" + w);
        }
    }

    /** A geometry with every parameter given (heights first). */
    public static ConvGeometry of(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW,
                                  int dilationH, int dilationW, Mode mode) {
        return new ConvGeometry(kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW, mode);
    }

    /** Square kernel, stride 1, no padding, no dilation, {@link Mode#TRUNCATE}. */
    public static ConvGeometry kernel(int k) {
        return of(k, k, 1, 1, 0, 0, 1, 1, Mode.TRUNCATE);
    }

    /** A copy with square stride {@code s}. */
    public ConvGeometry stride(int s) {
        return of(kernelH, kernelW, s, s, padH, padW, dilationH, dilationW, mode);
    }

    /** A copy with square padding {@code p}. */
    public ConvGeometry padding(int p) {
        return of(kernelH, kernelW, strideH, strideW, p, p, dilationH, dilationW, mode);
    }

    /** A copy with square dilation {@code d}. */
    public ConvGeometry dilation(int d) {
        return of(kernelH, kernelW, strideH, strideW, padH, padW, d, d, mode);
    }

    /** A copy with the given mode. */
    public ConvGeometry mode(Mode m) {
        return of(kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW, m);
    }

    public int kernelH() { return kernelH; }
    public int kernelW() { return kernelW; }
    public int strideH() { return strideH; }
    public int strideW() { return strideW; }
    public int dilationH() { return dilationH; }
    public int dilationW() { return dilationW; }
    public Mode mode() { return mode; }

    /** The configured padding (ignored in {@link Mode#SAME}; see {@link #padTop}). */
    public int padH() { return padH; }
    public int padW() { return padW; }

    public int effectiveKernelH() { return kernelH + (kernelH - 1) * (dilationH - 1); }
    public int effectiveKernelW() { return kernelW + (kernelW - 1) * (dilationW - 1); }

    /** Output height for input height {@code inH}; throws if the window does not fit or STRICT fails. */
    public int outputHeight(int inH) {
        return outSize("height", inH, effectiveKernelH(), strideH, padH);
    }

    /** Output width for input width {@code inW}. */
    public int outputWidth(int inW) {
        return outSize("width", inW, effectiveKernelW(), strideW, padW);
    }

    /** Padding actually applied above the input for input height {@code inH}. */
    public int padTop(int inH) {
        return mode == Mode.SAME ? samePad(inH, effectiveKernelH(), strideH) : padH;
    }

    /** Padding actually applied left of the input for input width {@code inW}. */
    public int padLeft(int inW) {
        return mode == Mode.SAME ? samePad(inW, effectiveKernelW(), strideW) : padW;
    }

    private static int samePad(int in, int ek, int s) {
        int out = (in + s - 1) / s;
        return Math.max(0, (out - 1) * s + ek - in) / 2;
    }

    private int outSize(String dim, int in, int ek, int s, int p) {
        if (in <= 0) {
            throw new IllegalArgumentException("input " + dim + " must be positive, got " + in + " (" + this + ")");
        }
        if (mode == Mode.SAME) {
            return (in + s - 1) / s;
        }
        int span = in + 2 * p - ek;
        if (span < 0) {
            throw new IllegalArgumentException("effective kernel " + dim + " " + ek + " exceeds padded input "
                    + dim + " " + (in + 2 * p) + " (" + this + ")");
        }
        if (mode == Mode.STRICT && span % s != 0) {
            throw new IllegalArgumentException("Strict convolution mode: (input " + dim + " " + in + " + 2*pad " + p
                    + " - effective kernel " + ek + ") is not divisible by stride " + s
                    + "; use Truncate or Same, or change the padding (" + this + ")");
        }
        return span / s + 1;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ConvGeometry[kernel=%dx%d, stride=%dx%d, pad=%dx%d, dilation=%dx%d, mode=%s]",
                kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW, mode);
    }
}

package org.fastcrypt4j.nn.conf;

import java.util.Arrays;
import java.util.Objects;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.Upsampling1D;
import org.deeplearning4j.nn.conf.layers.ZeroPadding1DLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping1D;
import org.fastcrypt4j.nn.layers.SecureSequenceMap;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * DL4J's 1-D shape layers on shares, time series {@code [N, C, T]} (NCW): {@link ZeroPadding1DLayer} (zeros before
 * and after), {@link Cropping1D} (steps cut from the start and the end) and {@link Upsampling1D} (each step repeated).
 * Local and exact (no rounds, no truncation); runtime layer {@link SecureSequenceMap}. As in DL4J, a dropout on this
 * configuration is kept for the twin but not applied.
 */
public class SecureSequenceMapLayer extends SecureNoParamLayer {
    private static final long serialVersionUID = 1L;
    private static final String TYPE = "SecureSequenceMapLayer";

    /** Which of DL4J's 1-D shape layers. */
    public enum Kind {
        /** {@link ZeroPadding1DLayer}: amounts [before, after]. */
        ZERO_PADDING,
        /** {@link Cropping1D}: amounts [start, end]. */
        CROPPING,
        /** {@link Upsampling1D}: amounts [size]. */
        UPSAMPLING
    }

    private Kind kind = Kind.ZERO_PADDING;
    private int[] amounts = {0, 0};

    /** For JSON. */
    protected SecureSequenceMapLayer() {
    }

    private SecureSequenceMapLayer(Builder b) {
        super(b);
        kind = Objects.requireNonNull(b.kind, "kind");
        amounts = checked(b.kind, b.amounts, layerName);
    }

    private static int[] checked(Kind kind, int[] v, String layerName) {
        int[] out = v == null ? null : kind == Kind.UPSAMPLING ? (v.length == 1 ? v.clone() : null)
                : v.length == 1 ? new int[] {v[0], v[0]} : v.length == 2 ? v.clone() : null;
        int min = kind == Kind.UPSAMPLING ? 1 : 0;
        if (out == null || Arrays.stream(out).anyMatch(a -> a < min)) {
            throw new IllegalArgumentException(TYPE + SecureLayerChecks.named(layerName) + ": " + kind
                    + (kind == Kind.UPSAMPLING ? " needs one size >= 1" : " needs 1 or 2 values >= 0 ([start, end])")
                    + ", got " + (v == null ? "none" : Arrays.toString(v)));
        }
        return out;
    }

    public Kind getKind() {
        return kind;
    }

    /** [before, after] padding, [start, end] cropping, or [size]. */
    public int[] getAmounts() {
        return amounts.clone();
    }

    /** Bean setters (DL4J's JSON mapping uses them). */
    public void setKind(Kind kind) {
        this.kind = kind;
    }

    public void setAmounts(int[] amounts) {
        this.amounts = amounts.clone();
    }

    /** The output length for an input of length {@code t}, or an error naming the layer. */
    public long outputLength(long t) {
        long out = switch (kind) {
            case ZERO_PADDING -> t + amounts[0] + amounts[1];
            case CROPPING -> t - amounts[0] - amounts[1];
            case UPSAMPLING -> t * amounts[0];
        };
        if (out < 1) {
            throw new IllegalArgumentException(TYPE + SecureLayerChecks.named(layerName) + ": cropping "
                    + Arrays.toString(amounts) + " leaves nothing of " + t + " steps");
        }
        return out;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeRecurrent r = Sequences.ncw(inputType, TYPE, layerName, layerIndex);
        long t = r.getTimeSeriesLength();
        return t > 0 ? InputType.recurrent(r.getSize(), outputLength(t)) : InputType.recurrent(r.getSize());
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return InputTypeUtil.getPreprocessorForInputTypeRnnLayers(inputType, RNNFormat.NCW, getLayerName());
    }

    @Override
    protected org.deeplearning4j.nn.api.Layer runtimeLayer(NeuralNetConfiguration conf, DataType networkDataType) {
        return new SecureSequenceMap(conf, networkDataType);
    }

    @Override
    public Layer toPlain() {
        Layer.Builder<?> b = switch (kind) {
            case ZERO_PADDING -> new ZeroPadding1DLayer.Builder(amounts[0], amounts[1]);
            case CROPPING -> new Cropping1D.Builder(amounts[0], amounts[1]);
            case UPSAMPLING -> new Upsampling1D.Builder(amounts[0]);
        };
        if (layerName != null) {
            b.name(layerName);
        }
        if (getIDropout() != null) {
            b.dropOut(getIDropout().clone());
        }
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecureSequenceMapLayer m && super.equals(o) && kind == m.kind
                && Arrays.equals(amounts, m.amounts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), kind, Arrays.hashCode(amounts));
    }

    /** Builder: {@code new Builder(Kind.ZERO_PADDING, 2, 1)}, {@code new Builder(Kind.UPSAMPLING, 2)}. */
    public static class Builder extends Layer.Builder<Builder> {
        private final Kind kind;
        private final int[] amounts;

        public Builder(Kind kind, int... amounts) {
            this.kind = kind;
            this.amounts = amounts;
        }

        @Override
        @SuppressWarnings("unchecked")
        public SecureSequenceMapLayer build() {
            return new SecureSequenceMapLayer(this);
        }
    }
}

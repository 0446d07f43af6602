package org.fastcrypt4j.mpc.sharing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The settings all three parties must share: fixed-point precision, which MSB protocol and which
 * truncation protocol to run. Parties compare a hash of these at session start
 * ({@link Session#start}) and stop with a clear error when they differ.
 *
 * @param fractionalBits fixed-point precision f (values are encoded as round(v * 2^f))
 * @param msb            the default MSB/DReLU protocol
 * @param truncation     the default truncation protocol
 */
public record MpcSettings(int fractionalBits, MsbKind msb, TruncationKind truncation) {

    /** CryptGPU's choice; Piranha measured LeNet training needs about 16 bits or more. */
    public static final int DEFAULT_FRACTIONAL_BITS = 20;

    /** Which MSB (sign bit) protocol to run. */
    public enum MsbKind {
        /** A2B with a parallel-prefix adder, then the top bit (ABY3 section 5.3). Exact over the whole ring. */
        ABY3,
        /** wrap3 + PrivateCompare over Z_67 on a masked value (Falcon section 3). */
        FALCON
    }

    /** Which truncation protocol divides products by 2^f. */
    public enum TruncationKind {
        /**
         * TruncD ({@code TruncationWrapFree} in the arithmetic family, PROTOCOLS.md 3c2): dealer-free, never a
         * wrap (large) error inside the safe range, one-unit stochastic rounding whose rounding bit depends on one
         * party's view (stated as part of the functionality there). The default.
         */
        WRAP_FREE,
        /** ABY3/SecureML local truncation: one round, fails with probability ~|x|/2^64 per element (3a). */
        PROBABILISTIC
    }

    public MpcSettings {
        Objects.requireNonNull(msb, "msb");
        Objects.requireNonNull(truncation, "truncation");
        if (fractionalBits < 1 || fractionalBits > 30) {
            throw new IllegalArgumentException("fractionalBits must be in [1, 30], got " + fractionalBits);
        }
    }

    /** f = 20, ABY3-style MSB, wrap-free truncation. */
    public static MpcSettings defaults() {
        return new MpcSettings(DEFAULT_FRACTIONAL_BITS, MsbKind.ABY3, TruncationKind.WRAP_FREE);
    }

    public MpcSettings withMsb(MsbKind kind) {
        return new MpcSettings(fractionalBits, kind, truncation);
    }

    public MpcSettings withTruncation(TruncationKind kind) {
        return new MpcSettings(fractionalBits, msb, kind);
    }

    public MpcSettings withFractionalBits(int f) {
        return new MpcSettings(f, msb, truncation);
    }

    /** A canonical text form, hashed for the start-up comparison. */
    public String canonical() {
        return "fastcrypt4j-settings/v1;f=" + fractionalBits + ";msb=" + msb + ";trunc=" + truncation;
    }

    /** SHA-256 of {@link #canonical()}. */
    public byte[] digest() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(canonical().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

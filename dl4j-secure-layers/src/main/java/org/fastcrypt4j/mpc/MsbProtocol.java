package org.fastcrypt4j.mpc;

/**
 * Extraction of the most significant (sign) bit of every element of a replicated sharing, as a
 * replicated boolean sharing (bit j = element j in c-order). Two implementations, chosen per session
 * ({@link MpcSettings#msb()}) or per call: {@link Aby3Msb} and {@link FalconMsb}
 * (the reference system's {@code get_msb} and {@code gw_get_msb}).
 */
public interface MsbProtocol {

    /** Binary shares of msb(x) for every element of {@code x}. */
    SharedBits msb(Session s, SharedTensor x);

    /** The protocol a settings value names. */
    static MsbProtocol of(MpcSettings.MsbKind kind) {
        return switch (kind) {
            case ABY3 -> new Aby3Msb();
            case FALCON -> new FalconMsb();
        };
    }
}

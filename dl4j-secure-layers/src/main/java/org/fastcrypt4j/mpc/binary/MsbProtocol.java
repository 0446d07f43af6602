package org.fastcrypt4j.mpc.binary;

import org.fastcrypt4j.mpc.sharing.MpcSettings;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;

/**
 * Extraction of the most significant (sign) bit of every element of a replicated sharing, as a
 * replicated boolean sharing (bit j = element j in c-order). Two implementations, chosen per session
 * ({@link MpcSettings#msb()}, resolved by {@code org.fastcrypt4j.mpc.functions.MsbProtocols}) or per call:
 * {@link Aby3Msb} in this package and {@code FalconMsb} in {@code org.fastcrypt4j.mpc.falcon}
 * (the reference system's {@code get_msb} and {@code gw_get_msb}).
 */
public interface MsbProtocol {

    /** Binary shares of msb(x) for every element of {@code x}. */
    SharedBits msb(Session s, SharedTensor x);
}

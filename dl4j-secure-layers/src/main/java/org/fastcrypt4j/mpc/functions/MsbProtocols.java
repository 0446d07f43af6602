package org.fastcrypt4j.mpc.functions;

import org.fastcrypt4j.mpc.binary.Aby3Msb;
import org.fastcrypt4j.mpc.binary.MsbProtocol;
import org.fastcrypt4j.mpc.falcon.FalconMsb;
import org.fastcrypt4j.mpc.sharing.MpcSettings;

/**
 * Resolves {@link MpcSettings#msb()} to an {@link MsbProtocol}. It lives here, above both implementations, so
 * that the binary family (which defines the interface and {@link Aby3Msb}) does not depend on the falcon family
 * (which builds {@link FalconMsb} on it).
 */
public final class MsbProtocols {

    private MsbProtocols() {
    }

    /** The protocol a settings value names. */
    public static MsbProtocol of(MpcSettings.MsbKind kind) {
        return switch (kind) {
            case ABY3 -> new Aby3Msb();
            case FALCON -> new FalconMsb();
        };
    }
}

package org.fastcrypt4j.mpc;

/** Being written (issue 4). */
public final class Aby3Msb implements MsbProtocol {
    @Override
    public SharedBits msb(Session s, SharedTensor x) {
        throw new UnsupportedOperationException("Aby3Msb is being written");
    }
}

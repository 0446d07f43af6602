package org.fastcrypt4j.mpc.sharing;

import java.util.List;

import org.fastcrypt4j.transport.aeron.AeronContext;
import org.fastcrypt4j.transport.aeron.AeronTransport;
import org.fastcrypt4j.transport.Transport;

/** Runs a protocol body for the three parties in this JVM over Aeron IPC (the test setting). */
public final class Parties {

    private Parties() {
    }

    public static <T> List<T> overIpc(MpcSettings settings, PartyThreads.PartyBody<T> body) {
        try (org.fastcrypt4j.transport.aeron.LocalParties net =
                org.fastcrypt4j.transport.aeron.LocalParties.ipc(new AeronContext())) {
            return PartyThreads.run(settings, new Transport[] {net.party(0), net.party(1), net.party(2)}, body);
        }
    }
}

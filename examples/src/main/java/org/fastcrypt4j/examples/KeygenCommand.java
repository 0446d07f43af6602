package org.fastcrypt4j.examples;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** {@code ./fastcrypt4j keygen} (being written by the transport work). */
@Command(name = "keygen", mixinStandardHelpOptions = true, description = "Writes an X25519 key pair for a party.")
public final class KeygenCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("keygen is not built yet");
    }
}

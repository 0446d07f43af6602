package org.fastcrypt4j.transport;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A parties file that cannot work is refused before anything connects, naming the line and what is wrong. */
class PartiesConfigTest {
    private final KeyPair[] k = {PartyKeys.generate(), PartyKeys.generate(), PartyKeys.generate()};

    private String line(int id, String host, int port, String key) {
        return id + " " + host + " " + port + " " + key;
    }

    private String pub(int i) {
        return PartyKeys.encodePublic(k[i].getPublic());
    }

    @Test
    void duplicatePortIsRefusedNamingBothParties() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PartiesConfig.parse(List.of(
                line(0, "127.0.0.1", 40100, pub(0)), line(1, "127.0.0.1", 40101, pub(1)),
                line(2, "127.0.0.1", 40100, pub(2))), "parties.conf"));
        assertTrue(e.getMessage().startsWith("parties.conf:3: party 2") && e.getMessage().contains("party 0"),
                e.getMessage());
    }

    @Test
    void lowOrderAndRepeatedKeysAreRefused() {
        // the X.509 encoding of the all-zero X25519 public key: the 12-byte prefix of a real key, then 32 zero bytes
        byte[] enc = k[0].getPublic().getEncoded();
        java.util.Arrays.fill(enc, enc.length - 32, enc.length, (byte) 0);
        String zero = Base64.getEncoder().encodeToString(enc);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PartiesConfig.parse(List.of(
                line(0, "h0", 1, pub(0)), line(1, "h1", 1, zero), line(2, "h2", 1, pub(2))), "p"));
        assertTrue(e.getMessage().startsWith("p:2: party 1") && e.getMessage().contains("low order"), e.getMessage());
        IllegalArgumentException same = assertThrows(IllegalArgumentException.class, () -> PartiesConfig.parse(
                List.of(line(0, "h0", 1, pub(0)), line(1, "h1", 1, pub(1)), line(2, "h2", 1, pub(1))), "p"));
        assertTrue(same.getMessage().contains("same public key as party 1"), same.getMessage());
        IllegalArgumentException garbage = assertThrows(IllegalArgumentException.class, () -> PartiesConfig.parse(
                List.of(line(0, "h0", 1, "AAAA")), "p"));
        assertTrue(garbage.getMessage().startsWith("p:1: party 0: not a base64 X25519 public key"),
                garbage.getMessage());
    }

    @Test
    void anExistingPrivateKeyIsNotReplacedUnlessAsked(@TempDir Path dir) throws Exception {
        PartyKeys.write(dir, 1, k[0]);
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, () -> PartyKeys.write(dir, 1, k[1]));
        assertTrue(e.getMessage().contains("party-1.key"), e.getMessage());
        assertTrue(PartyKeys.read(dir, 1).getPublic().equals(k[0].getPublic()), "key replaced");
        PartyKeys.write(dir, 1, k[1], true);
        assertTrue(PartyKeys.read(dir, 1).getPublic().equals(k[1].getPublic()));
    }
}

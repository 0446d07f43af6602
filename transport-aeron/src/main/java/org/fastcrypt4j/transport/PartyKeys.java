package org.fastcrypt4j.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * X25519 key pairs of the parties. Public keys are written as one line of base64 of their X.509 encoding
 * (the form pinned in the parties file); private keys as base64 of their PKCS#8 encoding in a file readable
 * only by its owner ({@code party-N.key}, mode 600), next to {@code party-N.pub}.
 */
public final class PartyKeys {
    private PartyKeys() {
    }

    public static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("X25519");
            g.initialize(255, new SecureRandom());
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 unavailable", e);
        }
    }

    public static String encodePublic(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    public static PublicKey decodePublic(String base64) {
        try {
            return KeyFactory.getInstance("X25519")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64.trim())));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a base64 X25519 public key: '" + base64 + "'");
        }
    }

    /**
     * Refuses a public key that is of low order (the all-zero key among them): X25519 with it gives the all-zero
     * shared secret whatever the private key, so it authenticates nobody. Tested exactly by one DH with a throw-away
     * key (the JDK refuses a small-order point).
     *
     * @throws IllegalArgumentException for such a key
     */
    public static void checkUsable(PublicKey key) {
        try {
            byte[] shared = org.fastcrypt4j.transport.noise.X25519.dh(generate().getPrivate(), key);
            java.util.Arrays.fill(shared, (byte) 0);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("public key of low order (an all-zero or similar key authenticates"
                    + " nobody): not a key made by keygen");
        }
    }

    public static Path privateKeyFile(Path dir, int party) {
        return privateKeyFile(dir, "party-" + party);
    }

    public static Path publicKeyFile(Path dir, int party) {
        return publicKeyFile(dir, "party-" + party);
    }

    /** {@code dir/<stem>.key}: a server's {@code party-N}, a client's its name. */
    public static Path privateKeyFile(Path dir, String stem) {
        return dir.resolve(stem + ".key");
    }

    public static Path publicKeyFile(Path dir, String stem) {
        return dir.resolve(stem + ".pub");
    }

    /**
     * Writes {@code party-N.key} (owner-only) and {@code party-N.pub} into {@code dir}, refusing to replace an
     * existing private key (a party's key is its identity: replacing it by mistake locks it out of its peers).
     *
     * @throws java.nio.file.FileAlreadyExistsException naming the file, if the private key exists
     */
    public static void write(Path dir, int party, KeyPair pair) throws IOException {
        write(dir, party, pair, false);
    }

    /** As {@link #write(Path, int, KeyPair)}; with {@code overwrite} an existing key pair is replaced. */
    public static void write(Path dir, int party, KeyPair pair, boolean overwrite) throws IOException {
        write(dir, "party-" + party, pair, overwrite);
    }

    /** As {@link #write(Path, int, KeyPair, boolean)} for the files {@code <stem>.key} and {@code <stem>.pub}. */
    public static void write(Path dir, String stem, KeyPair pair, boolean overwrite) throws IOException {
        Files.createDirectories(dir);
        Path priv = privateKeyFile(dir, stem);
        if (!overwrite && Files.exists(priv)) {
            throw new java.nio.file.FileAlreadyExistsException(priv.toString(), null,
                    "a private key exists already; refusing to replace it");
        }
        Files.deleteIfExists(priv);
        try {
            Files.createFile(priv, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(priv);
            priv.toFile().setReadable(false, false);
            priv.toFile().setReadable(true, true);
        }
        Files.writeString(priv, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n",
                StandardCharsets.US_ASCII);
        Files.writeString(publicKeyFile(dir, stem), encodePublic(pair.getPublic()) + "\n", StandardCharsets.US_ASCII);
    }

    /** Reads the pair written by {@link #write}. */
    public static KeyPair read(Path dir, int party) throws IOException {
        return read(dir, "party-" + party);
    }

    /** Reads the pair {@code <stem>.key} / {@code <stem>.pub} written by {@link #write(Path, String, KeyPair, boolean)}. */
    public static KeyPair read(Path dir, String stem) throws IOException {
        try {
            KeyFactory f = KeyFactory.getInstance("X25519");
            PrivateKey priv = f.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder()
                    .decode(Files.readString(privateKeyFile(dir, stem), StandardCharsets.US_ASCII).trim())));
            PublicKey pub = decodePublic(Files.readString(publicKeyFile(dir, stem), StandardCharsets.US_ASCII));
            return new KeyPair(pub, priv);
        } catch (GeneralSecurityException e) {
            throw new IOException(stem + ": unreadable key pair in " + dir, e);
        }
    }
}

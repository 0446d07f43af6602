package org.fastcrypt4j.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;

/**
 * Where the three parties listen and which public key each one must present.
 *
 * <p>The parties file has one line per party, {@code id host port base64-public-key}, separated by blanks;
 * blank lines and lines starting with {@code #} are ignored. The ids are 0, 1 and 2, each exactly once. The
 * key is the base64 X.509 encoding of the party's X25519 public key (what {@code ./fastcrypt4j keygen}
 * prints). Party {@code i} receives UDP on {@code host:port}; for IPC only the keys are used. Example:
 * <pre>
 * # id host        port  public key
 * 0    10.0.0.1    40100 MCowBQYDK2VuAyEA...
 * 1    10.0.0.2    40100 MCowBQYDK2VuAyEA...
 * 2    10.0.0.3    40100 MCowBQYDK2VuAyEA...
 * </pre>
 */
public final class PartiesConfig {

    /** One party's address and pinned key. */
    public record Party(int id, String host, int port, PublicKey publicKey) {
    }

    private final Party[] parties;

    public PartiesConfig(Party p0, Party p1, Party p2) {
        parties = new Party[] {p0, p1, p2};
        for (int i = 0; i < 3; i++) {
            if (parties[i] == null || parties[i].id() != i) {
                throw new IllegalArgumentException("parties must be given in order 0, 1, 2");
            }
        }
    }

    public Party party(int id) {
        return parties[id];
    }

    /** Parses the text of a parties file ({@code source} names it in errors). */
    public static PartiesConfig parse(List<String> lines, String source) {
        Party[] p = new Party[3];
        int lineNo = 0;
        for (String raw : lines) {
            lineNo++;
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length != 4) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": expected 'id host port base64-key'");
            }
            int id;
            int port;
            try {
                id = Integer.parseInt(f[0]);
                port = Integer.parseInt(f[2]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": id and port must be integers");
            }
            if (id < 0 || id > 2 || p[id] != null) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": party id " + id
                        + " is not 0, 1 or 2, or is repeated");
            }
            if (port <= 0 || port > 65535) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": invalid port " + port);
            }
            PublicKey key;
            try {
                key = PartyKeys.decodePublic(f[3]);
                PartyKeys.checkUsable(key);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": party " + id + ": " + e.getMessage());
            }
            for (Party q : p) {
                if (q == null) {
                    continue;
                }
                if (q.host().equalsIgnoreCase(f[1]) && q.port() == port) {
                    throw new IllegalArgumentException(source + ":" + lineNo + ": party " + id + " listens on " + f[1]
                            + ":" + port + ", already given to party " + q.id() + ": every party needs its own port");
                }
                if (q.publicKey().equals(key)) {
                    throw new IllegalArgumentException(source + ":" + lineNo + ": party " + id + " has the same public"
                            + " key as party " + q.id() + ": every party needs its own key pair (keygen)");
                }
            }
            p[id] = new Party(id, f[1], port, key);
        }
        for (int i = 0; i < 3; i++) {
            if (p[i] == null) {
                throw new IllegalArgumentException(source + ": party " + i + " is missing");
            }
        }
        return new PartiesConfig(p[0], p[1], p[2]);
    }

    public static PartiesConfig read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    }

    /** The file text for these parties. */
    public String format() {
        StringBuilder sb = new StringBuilder("# id host port base64-x25519-public-key\n");
        for (Party q : parties) {
            sb.append(q.id()).append(' ').append(q.host()).append(' ').append(q.port()).append(' ')
                    .append(PartyKeys.encodePublic(q.publicKey())).append('\n');
        }
        return sb.toString();
    }
}

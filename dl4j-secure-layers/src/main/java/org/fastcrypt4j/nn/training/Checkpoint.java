package org.fastcrypt4j.nn.training;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.ring.AesCtrPrg;
import org.fastcrypt4j.ring.RingTensor;
import org.fastcrypt4j.transport.PartiesConfig;
import org.fastcrypt4j.transport.PartyKeys;
import org.fastcrypt4j.transport.Transport;

/**
 * One party's checkpoint of a private training run, in a file of its own ({@code party-N.ckpt}): only that party's
 * shares of the parameters and of the optimizer state, its three PRG stream states (so that resuming continues
 * bit for bit), the step counters, and what identifies the run: the configuration hash, the party id, the
 * fingerprint of the parties (their pinned public keys) and the step. A party started with another party's file,
 * a file of another model or of other parties gets an error naming what does not match; the parties compare their
 * steps before continuing ({@code SecureMultiLayerNetwork.fit}).
 *
 * <p>Writing never overwrites a complete checkpoint before the new one is complete: the file is written to a
 * temporary file in the same directory, forced to disk (fsync), and renamed atomically into place, the previous
 * checkpoint being kept as {@code party-N.prev.ckpt}; the directory is forced too. A party killed while the others
 * write their next checkpoint may be one checkpoint behind them, so on resume the parties take the latest step that
 * all three have ({@link #agree}).
 *
 * <p>The file holds secrets of its party (shares and PRG seeds): keep it as private as the party's key file (it is
 * created readable by its owner only where the file system allows).
 */
public record Checkpoint(int party, byte[] configHash, byte[] partiesFingerprint, long step, int epoch,
        int batchInEpoch, Session.PrgStates prg, Map<String, SharedTensor> parameters,
        Map<String, SharedTensor> optimizerState) {

    private static final byte[] MAGIC = "FC4JCKP1".getBytes(StandardCharsets.US_ASCII);

    public static Path file(Path dir, int party) {
        return dir.resolve("party-" + party + ".ckpt");
    }

    /** The party's previous checkpoint, kept when a new one is written. */
    public static Path previousFile(Path dir, int party) {
        return dir.resolve("party-" + party + ".prev.ckpt");
    }

    /** SHA-256 of a configuration's JSON. */
    public static byte[] configHash(String configJson) {
        return sha256(configJson.getBytes(StandardCharsets.UTF_8));
    }

    /** SHA-256 of the three parties' pinned public keys, in party order. */
    public static byte[] partiesFingerprint(PartiesConfig parties) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            sb.append(PartyKeys.encodePublic(parties.party(i).publicKey())).append('\n');
        }
        return sha256(sb.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes this party's file into {@code dir} (write, fsync, atomic rename, fsync of the directory). */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(party);
            writeBytes(out, configHash);
            writeBytes(out, partiesFingerprint);
            out.writeLong(step);
            out.writeInt(epoch);
            out.writeInt(batchInEpoch);
            for (AesCtrPrg.State st : new AesCtrPrg.State[] {prg.withPrev(), prg.withNext(), prg.own()}) {
                writeBytes(out, st.seed());
                out.writeLong(st.streamId());
                out.writeLong(st.position());
            }
            writeTensors(out, parameters);
            writeTensors(out, optimizerState);
        }
        Path target = file(dir, party);
        Path tmp = dir.resolve(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(bytes.toByteArray());
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        if (Files.exists(target)) {
            // keep one generation: a kill can stop the parties between their writes, one step apart
            Files.move(target, previousFile(dir, party), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory for fsync; the rename itself is atomic
        }
    }

    /**
     * Reads party {@code party}'s file from {@code dir} and checks that it belongs to this party, this model and these
     * parties.
     *
     * @throws IllegalStateException naming what does not match
     */
    public static Checkpoint read(Path dir, int party, byte[] configHash, byte[] partiesFingerprint) throws IOException {
        Path f = file(dir, party);
        if (!Files.isRegularFile(f)) {
            throw new IllegalStateException("party " + party + ": no checkpoint " + f);
        }
        return readFile(f, party, configHash, partiesFingerprint);
    }

    private static Checkpoint readFile(Path f, int party, byte[] configHash, byte[] partiesFingerprint)
            throws IOException {
        try (InputStream raw = Files.newInputStream(f); DataInputStream in = new DataInputStream(raw)) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IllegalStateException("party " + party + ": " + f + " is not a FastCrypt4J checkpoint");
            }
            int p = in.readInt();
            if (p != party) {
                throw new IllegalStateException("party " + party + ": " + f + " is party " + p + "'s checkpoint, not this"
                        + " party's");
            }
            byte[] ch = readBytes(in);
            if (!MessageDigest.isEqual(ch, configHash)) {
                throw new IllegalStateException("party " + party + ": " + f + " is a checkpoint of another model"
                        + " (configuration hash " + hex(ch) + ", this model's " + hex(configHash) + ")");
            }
            byte[] pf = readBytes(in);
            if (!MessageDigest.isEqual(pf, partiesFingerprint)) {
                throw new IllegalStateException("party " + party + ": " + f + " was written by a session of other parties"
                        + " (parties fingerprint " + hex(pf) + ", this session's " + hex(partiesFingerprint) + ")");
            }
            long step = in.readLong();
            int epoch = in.readInt();
            int batch = in.readInt();
            AesCtrPrg.State[] st = new AesCtrPrg.State[3];
            for (int i = 0; i < 3; i++) {
                st[i] = new AesCtrPrg.State(readBytes(in), in.readLong(), in.readLong());
            }
            Map<String, SharedTensor> params = readTensors(in, party);
            Map<String, SharedTensor> opt = readTensors(in, party);
            return new Checkpoint(party, ch, pf, step, epoch, batch, new Session.PrgStates(st[0], st[1], st[2]), params,
                    opt);
        }
    }

    /**
     * This party's checkpoints in {@code dir} (current and previous, the ones that exist and pass {@link #read}'s
     * checks), latest first.
     */
    public static List<Checkpoint> readAll(Path dir, int party, byte[] configHash, byte[] partiesFingerprint)
            throws IOException {
        List<Checkpoint> out = new ArrayList<>();
        Checkpoint current = read(dir, party, configHash, partiesFingerprint);
        out.add(current);
        if (Files.isRegularFile(previousFile(dir, party))) {
            out.add(readFile(previousFile(dir, party), party, configHash, partiesFingerprint));
        }
        return out;
    }

    /**
     * Agrees with both peers, over the (authenticated) transport before any session starts, on the latest step for
     * which all three parties hold a checkpoint, and returns this party's checkpoint of that step. One round: each
     * party sends the steps it has (two longs) to both others.
     *
     * @throws IllegalStateException when no step is common to the three
     */
    public static Checkpoint agree(Transport t, List<Checkpoint> mine) {
        long[] steps = {-1, -1};
        for (int i = 0; i < Math.min(2, mine.size()); i++) {
            steps[i] = mine.get(i).step();
        }
        int me = t.partyId();
        t.send(Transport.next(me), "checkpoint/steps", steps);
        t.send(Transport.prev(me), "checkpoint/steps", steps);
        long[] a = t.receive(Transport.next(me), "checkpoint/steps", 2);
        long[] b = t.receive(Transport.prev(me), "checkpoint/steps", 2);
        Checkpoint best = null;
        for (Checkpoint c : mine) {
            long st = c.step();
            boolean common = (a[0] == st || a[1] == st) && (b[0] == st || b[1] == st);
            if (common && (best == null || st > best.step())) {
                best = c;
            }
        }
        if (best == null) {
            throw new IllegalStateException("party " + me + ": no checkpoint step common to the three parties (this party"
                    + " has " + java.util.Arrays.toString(steps) + ", party " + Transport.next(me) + " "
                    + java.util.Arrays.toString(a) + ", party " + Transport.prev(me) + " " + java.util.Arrays.toString(b)
                    + ")");
        }
        return best;
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(6, b.length); i++) {
            sb.append(String.format("%02x", b[i]));
        }
        return sb.append("..").toString();
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1 << 16) {
            throw new IOException("corrupt checkpoint (field of " + n + " bytes)");
        }
        return in.readNBytes(n);
    }

    private static void writeTensors(DataOutputStream out, Map<String, SharedTensor> ts) throws IOException {
        out.writeInt(ts.size());
        for (Map.Entry<String, SharedTensor> e : ts.entrySet()) {
            out.writeUTF(e.getKey());
            long[] shape = e.getValue().shape();
            out.writeInt(shape.length);
            for (long d : shape) {
                out.writeLong(d);
            }
            for (RingTensor t : new RingTensor[] {e.getValue().first(), e.getValue().second()}) {
                long[] v = t.toLongArray();
                ByteBuffer b = ByteBuffer.allocate(v.length * Long.BYTES);
                b.asLongBuffer().put(v);
                out.write(b.array());
            }
        }
    }

    private static Map<String, SharedTensor> readTensors(DataInputStream in, int party) throws IOException {
        int n = in.readInt();
        Map<String, SharedTensor> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String key = in.readUTF();
            int rank = in.readInt();
            if (rank < 0 || rank > 8) {
                throw new IOException("corrupt checkpoint (tensor of rank " + rank + ")");
            }
            long[] shape = new long[rank];
            long len = 1;
            for (int r = 0; r < rank; r++) {
                shape[r] = in.readLong();
                len *= shape[r];
            }
            if (len < 0 || len > Integer.MAX_VALUE / 8) {
                throw new IOException("corrupt checkpoint (tensor of " + len + " values)");
            }
            RingTensor[] c = new RingTensor[2];
            for (int k = 0; k < 2; k++) {
                byte[] raw = in.readNBytes((int) len * Long.BYTES);
                long[] v = new long[(int) len];
                ByteBuffer.wrap(raw).asLongBuffer().get(v);
                c[k] = RingTensor.of(v, shape);
            }
            out.put(key, new SharedTensor(party, c[0], c[1]));
        }
        return out;
    }
}

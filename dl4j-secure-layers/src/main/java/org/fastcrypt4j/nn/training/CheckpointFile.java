package org.fastcrypt4j.nn.training;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.ring.RingTensor;

/**
 * The checkpoint file format (big-endian, as {@link DataOutputStream} writes):
 * <pre>
 *   MAGIC          8 bytes   "FC4JCKP2"
 *   FILE_LENGTH    long      bytes of the whole file, tag included
 *   PARTY          int
 *   CONFIG_HASH    int n, n bytes      SHA-256 of the configuration's JSON
 *   FINGERPRINT    int n, n bytes      SHA-256 of the parties' pinned keys
 *   RUN_ID         int n, n bytes      16 bytes
 *   JOB            modified UTF-8      the caller's options a resume must repeat
 *   STEP           long, EPOCH int, BATCH_IN_EPOCH int
 *   PARAMETERS     int count, then per tensor: UTF name, int rank, rank longs (shape), 2 x len longs (the party's
 *                  two components)
 *   OPTIMIZER      the same layout
 *   TAG            32 bytes  HMAC-SHA256 under the party's {@link CheckpointKey} over every byte before it
 * </pre>
 * Reading authenticates before it trusts: pass 1 checks the length against {@code FILE_LENGTH} (to say "truncated" or
 * "trailing bytes" precisely) and the tag over the whole file in constant memory; only then does pass 2 parse,
 * recomputing the tag as it goes and discarding the result if the file changed in between. Every size is also
 * bounded before it allocates.
 */
final class CheckpointFile {
    private static final byte[] MAGIC = "FC4JCKP2".getBytes(StandardCharsets.US_ASCII);
    private static final int TAG_BYTES = 32;
    private static final int MAX_RANK = 8;
    private static final int MAX_FIELD = 1 << 16;

    private CheckpointFile() {
    }

    private static Mac mac(CheckpointKey key) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key.macKey(), "HmacSHA256"));
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK HmacSHA256 unavailable", e);
        }
    }

    // ---------------------------------------------------------------------------------------------- writing

    static void write(Checkpoint c, Path dir, CheckpointKey key) throws IOException {
        if (c.party() != key.party()) {
            throw new IllegalArgumentException("party " + key.party() + " cannot write party " + c.party()
                    + "'s checkpoint");
        }
        createPrivateDirectories(dir);
        Path target = Checkpoint.file(dir, c.party());
        Path tmp = dir.resolve(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        Mac mac = mac(key);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            OutputStream file = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
            DataOutputStream out = new DataOutputStream(new MacOutputStream(file, mac));
            out.write(MAGIC);
            out.writeLong(fileLength(c));
            out.writeInt(c.party());
            writeBytes(out, c.configHash());
            writeBytes(out, c.partiesFingerprint());
            writeBytes(out, c.runId());
            out.writeUTF(c.job());
            out.writeLong(c.step());
            out.writeInt(c.epoch());
            out.writeInt(c.batchInEpoch());
            writeTensors(out, c.parameters());
            writeTensors(out, c.optimizerState());
            out.flush();
            file.write(mac.doFinal());
            file.flush();
            ch.force(true);
        }
        if (Files.size(tmp) != fileLength(c)) {
            throw new IOException("checkpoint " + tmp + ": wrote " + Files.size(tmp) + " bytes, expected "
                    + fileLength(c));
        }
        if (Files.exists(target)) {
            // keep one generation: a kill can stop the parties between their writes, one step apart
            Files.move(target, Checkpoint.previousFile(dir, c.party()), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory for fsync; the rename itself is atomic
        }
    }

    /** Creates {@code dir} and missing parents with mode 0700 (existing directories are left as they are). */
    static void createPrivateDirectories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            return;
        }
        if (abs.getParent() != null) {
            createPrivateDirectories(abs.getParent());
        }
        try {
            Files.createDirectory(abs, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectory(abs);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            // another party of this process created it a moment ago (the three write at the same step)
            if (!Files.isDirectory(abs)) {
                throw e;
            }
        }
    }

    private static long fileLength(Checkpoint c) {
        long n = MAGIC.length + 8 + 4 + 4L * 3 + c.configHash().length + c.partiesFingerprint().length
                + c.runId().length + 2 + c.job().getBytes(StandardCharsets.UTF_8).length + 8 + 4 + 4;
        return n + tensorsLength(c.parameters()) + tensorsLength(c.optimizerState()) + TAG_BYTES;
    }

    private static long tensorsLength(Map<String, SharedTensor> ts) {
        long n = 4;
        for (Map.Entry<String, SharedTensor> e : ts.entrySet()) {
            long[] shape = e.getValue().shape();
            n += 2 + e.getKey().getBytes(StandardCharsets.UTF_8).length + 4 + 8L * shape.length
                    + 16L * e.getValue().length();
        }
        return n;
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
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

    // ---------------------------------------------------------------------------------------------- reading

    static Checkpoint read(Path f, CheckpointKey key) throws IOException {
        String what = "checkpoint " + f;
        if (!Files.isRegularFile(f)) {
            throw new CheckpointException("party " + key.party() + ": no " + what);
        }
        long size = Files.size(f);
        byte[] stored = new byte[TAG_BYTES];
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(f), 1 << 16)) {
            DataInputStream in = new DataInputStream(raw);
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!MessageDigest.isEqual(magic, MAGIC)) {
                throw new CheckpointException(what + " is not a FastCrypt4J checkpoint of this version (bad magic)");
            }
            long declared = size >= MAGIC.length + 8 ? in.readLong() : -1;
            if (declared < 0 || size < declared) {
                throw new CheckpointException(what + " is truncated (" + size + " bytes" + (declared < 0 ? ""
                        : " of " + declared) + ")");
            }
            if (size > declared) {
                throw new CheckpointException(what + " has " + (size - declared) + " trailing bytes after its end");
            }
        }
        if (size < MAGIC.length + 8 + TAG_BYTES) {
            throw new CheckpointException(what + " is truncated (" + size + " bytes)");
        }
        // pass 1: authenticate the whole file in constant memory
        Mac mac = mac(key);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(f), 1 << 16)) {
            byte[] buf = new byte[1 << 16];
            long left = size - TAG_BYTES;
            while (left > 0) {
                int n = raw.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new CheckpointException(what + " is truncated (it shrank while being read)");
                }
                mac.update(buf, 0, n);
                left -= n;
            }
            if (raw.readNBytes(stored, 0, TAG_BYTES) != TAG_BYTES) {
                throw new CheckpointException(what + " is truncated (it shrank while being read)");
            }
        }
        if (!MessageDigest.isEqual(mac.doFinal(), stored)) {
            throw new CheckpointException(what + " does not authenticate: it was corrupted or modified, or written"
                    + " with another key (another party's file, or another key pair for this party)");
        }
        // pass 2: parse what was authenticated, authenticating again as it is read
        Mac again = mac(key);
        Checkpoint c;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(f), 1 << 16)) {
            MacInputStream counted = new MacInputStream(raw, again, size - TAG_BYTES);
            DataInputStream in = new DataInputStream(counted);
            in.readNBytes(MAGIC.length);
            in.readLong();
            int party = in.readInt();
            byte[] configHash = readBytes(in, what);
            byte[] fingerprint = readBytes(in, what);
            byte[] runId = readBytes(in, what);
            String job = in.readUTF();
            long step = in.readLong();
            int epoch = in.readInt();
            int batch = in.readInt();
            Map<String, SharedTensor> params = readTensors(in, party, what);
            Map<String, SharedTensor> opt = readTensors(in, party, what);
            if (counted.remaining() != 0) {
                throw new CheckpointException(what + " has " + counted.remaining() + " unread bytes before its tag");
            }
            if (raw.readNBytes(stored, 0, TAG_BYTES) != TAG_BYTES || !MessageDigest.isEqual(again.doFinal(), stored)) {
                throw new CheckpointException(what + " changed while being read");
            }
            c = new Checkpoint(party, configHash, fingerprint, runId, job, step, epoch, batch, params, opt, f);
        } catch (EOFException e) {
            throw new CheckpointException(what + " ends inside a field");
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(what + " is malformed: " + e.getMessage());
        }
        return c;
    }

    private static byte[] readBytes(DataInputStream in, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_FIELD) {
            throw new CheckpointException(what + " is malformed (a field of " + n + " bytes)");
        }
        return in.readNBytes(n);
    }

    private static Map<String, SharedTensor> readTensors(DataInputStream in, int party, String what)
            throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_FIELD) {
            throw new CheckpointException(what + " is malformed (" + n + " tensors)");
        }
        Map<String, SharedTensor> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String key = in.readUTF();
            int rank = in.readInt();
            if (rank < 0 || rank > MAX_RANK) {
                throw new CheckpointException(what + " is malformed (tensor '" + key + "' of rank " + rank + ")");
            }
            long[] shape = new long[rank];
            long len = 1;
            for (int r = 0; r < rank; r++) {
                shape[r] = in.readLong();
                if (shape[r] < 0 || shape[r] > Integer.MAX_VALUE) {
                    throw new CheckpointException(what + " is malformed (tensor '" + key + "' has a dimension of "
                            + shape[r] + ")");
                }
                len *= shape[r];
                if (len > Integer.MAX_VALUE / Long.BYTES) {
                    throw new CheckpointException(what + " is malformed (tensor '" + key + "' too large)");
                }
            }
            RingTensor[] comp = new RingTensor[2];
            for (int k = 0; k < 2; k++) {
                byte[] raw = in.readNBytes((int) len * Long.BYTES);
                if (raw.length != len * Long.BYTES) {
                    throw new EOFException();
                }
                long[] v = new long[(int) len];
                ByteBuffer.wrap(raw).asLongBuffer().get(v);
                comp[k] = RingTensor.of(v, shape);
            }
            out.put(key, new SharedTensor(party, comp[0], comp[1]));
        }
        return out;
    }

    /** Updates a MAC with everything written through it. */
    private static final class MacOutputStream extends FilterOutputStream {
        private final Mac mac;

        MacOutputStream(OutputStream out, Mac mac) {
            super(out);
            this.mac = mac;
        }

        @Override
        public void write(int b) throws IOException {
            mac.update((byte) b);
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            mac.update(b, off, len);
            out.write(b, off, len);
        }
    }

    /** Updates a MAC with everything read through it, and reads at most {@code limit} bytes. */
    private static final class MacInputStream extends FilterInputStream {
        private final Mac mac;
        private long remaining;

        MacInputStream(InputStream in, Mac mac, long limit) {
            super(in);
            this.mac = mac;
            this.remaining = limit;
        }

        long remaining() {
            return remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                mac.update((byte) b);
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                mac.update(b, off, n);
                remaining -= n;
            }
            return n;
        }
    }
}

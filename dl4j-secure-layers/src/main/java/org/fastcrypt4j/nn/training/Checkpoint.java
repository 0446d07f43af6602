package org.fastcrypt4j.nn.training;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.transport.PartiesConfig;
import org.fastcrypt4j.transport.PartyKeys;

/**
 * One party's checkpoint of a private training run, in a file of its own ({@code party-N.ckpt}): that party's
 * shares of the parameters and of the optimizer state, the step counters, and what identifies the run: the
 * configuration hash, the party id, the fingerprint of the parties (their pinned public keys), the run id (the
 * session id of the run's first session), and the job (the caller's training options that a resume must repeat).
 *
 * <p><b>What a checkpoint promises.</b> The file is authenticated as a whole, header included, with HMAC-SHA256
 * under the party's own {@link CheckpointKey} ({@link CheckpointFile} has the format): a flipped bit, a truncated
 * file, trailing bytes, or another party's file are refused with an error naming the file and what failed, before
 * anything in it is used. Before resuming, the three parties compare the identities of their files over the
 * authenticated links ({@link CheckpointAgreement}) and stop, naming the party whose file differs, unless all three
 * are of the same run, step and job.
 *
 * <p><b>What a resume guarantees.</b> A checkpoint holds no PRG state: a resumed run starts a fresh session, with
 * fresh pairwise keys from its own handshakes, so no mask is ever drawn twice (were masks replayed, a step re-run
 * on different inputs would mask two values with one mask and reveal their difference). Resuming therefore equals
 * an uninterrupted run within fixed-point tolerance (the truncations round with other randomness), not bit for bit.
 *
 * <p>Files are written to a temporary file, forced to disk, and renamed atomically into place, the previous one
 * kept as {@code party-N.prev.ckpt} (a party killed while the others write may be one checkpoint behind them: the
 * parties then take the latest step all three have). Directories this class creates are mode 0700, files 0600:
 * they hold the party's shares.
 *
 * @param source the file this checkpoint was read from (for messages), or null for one made in memory
 */
public record Checkpoint(int party, byte[] configHash, byte[] partiesFingerprint, byte[] runId, String job, long step,
        int epoch, int batchInEpoch, Map<String, SharedTensor> parameters, Map<String, SharedTensor> optimizerState,
        Path source) {

    /** Bytes of the run id (the first bytes of the run's first session id). */
    public static final int RUN_ID_BYTES = 16;

    public Checkpoint {
        if (runId == null || runId.length != RUN_ID_BYTES) {
            throw new IllegalArgumentException("a run id has " + RUN_ID_BYTES + " bytes");
        }
        job = job == null ? "" : job;
    }

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
        return partiesFingerprint(List.of(parties.party(0).publicKey(), parties.party(1).publicKey(),
                parties.party(2).publicKey()));
    }

    /** SHA-256 of the three parties' public keys, in party order. */
    public static byte[] partiesFingerprint(List<java.security.PublicKey> partyKeys) {
        StringBuilder sb = new StringBuilder();
        for (java.security.PublicKey k : partyKeys) {
            sb.append(PartyKeys.encodePublic(k)).append('\n');
        }
        return sha256(sb.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Creates {@code dir} (and missing parents) with mode 0700 for checkpoints, or leaves an existing one as it is;
     * returns it.
     */
    public static Path prepareDirectory(Path dir) throws IOException {
        CheckpointFile.createPrivateDirectories(dir);
        return dir;
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** This checkpoint as read from {@code file}. */
    Checkpoint from(Path file) {
        return new Checkpoint(party, configHash, partiesFingerprint, runId, job, step, epoch, batchInEpoch, parameters,
                optimizerState, file);
    }

    /** "checkpoint /dir/party-1.ckpt" or "this party's checkpoint": for messages. */
    String describe() {
        return source != null ? "checkpoint " + source : "party " + party + "'s checkpoint";
    }

    /**
     * What the three parties compare before resuming: SHA-256 over the run id, configuration hash, parties
     * fingerprint, job, step and position in the epoch. Public to the three (they share all of it); says nothing of
     * the shares.
     */
    public byte[] identity() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("fastcrypt4j checkpoint identity v1".getBytes(StandardCharsets.US_ASCII));
            sha.update(runId);
            sha.update(configHash);
            sha.update(partiesFingerprint);
            byte[] j = job.getBytes(StandardCharsets.UTF_8);
            sha.update(ByteBuffer.allocate(4 + 8 + 4 + 4).putInt(j.length).putLong(step).putInt(epoch)
                    .putInt(batchInEpoch).array());
            sha.update(j);
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes this party's file into {@code dir}, authenticated with {@code key} (see {@link CheckpointFile}). */
    public void write(Path dir, CheckpointKey key) throws IOException {
        CheckpointFile.write(this, dir, key);
    }

    /**
     * Reads and authenticates {@code file} with this party's {@code key}, then checks that it is this party's, of
     * this model ({@code configHash}), of these parties and of this job.
     *
     * @throws CheckpointException naming the file and what failed
     */
    public static Checkpoint read(Path file, CheckpointKey key, byte[] configHash, String job) throws IOException {
        Checkpoint c = CheckpointFile.read(file, key);
        String what = "checkpoint " + file;
        if (c.party() != key.party()) {
            throw new CheckpointException(what + " is party " + c.party() + "'s, not party " + key.party() + "'s");
        }
        if (!MessageDigest.isEqual(c.configHash(), configHash)) {
            throw new CheckpointException(what + " is of another model (configuration hash " + hex(c.configHash())
                    + ", this model's " + hex(configHash) + ")");
        }
        if (!MessageDigest.isEqual(c.partiesFingerprint(), key.partiesFingerprint())) {
            throw new CheckpointException(what + " was written by a session of other parties (parties fingerprint "
                    + hex(c.partiesFingerprint()) + ", this session's " + hex(key.partiesFingerprint()) + ")");
        }
        String j = job == null ? "" : job;
        if (!c.job().equals(j)) {
            throw new CheckpointException(what + " was written by a run with options '" + c.job() + "'; this run has '"
                    + j + "': resume with the same options");
        }
        return c;
    }

    /**
     * This party's checkpoints in {@code dir}, latest first: the current file and, if it exists, the previous one.
     * Every file present must pass {@link #read}; a missing current file is an error naming it.
     */
    public static List<Checkpoint> readAll(Path dir, CheckpointKey key, byte[] configHash, String job)
            throws IOException {
        Path current = file(dir, key.party());
        if (!Files.isRegularFile(current)) {
            throw new CheckpointException("party " + key.party() + ": no checkpoint " + current);
        }
        List<Checkpoint> out = new ArrayList<>();
        out.add(read(current, key, configHash, job));
        Path prev = previousFile(dir, key.party());
        if (Files.isRegularFile(prev)) {
            out.add(read(prev, key, configHash, job));
        }
        return out;
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(6, b.length); i++) {
            sb.append(String.format("%02x", b[i]));
        }
        return sb.append("..").toString();
    }
}

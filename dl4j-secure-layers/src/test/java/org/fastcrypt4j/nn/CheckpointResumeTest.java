package org.fastcrypt4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.List;
import java.util.SplittableRandom;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.fastcrypt4j.nn.training.Checkpoint;
import org.fastcrypt4j.nn.training.CheckpointAgreement;
import org.fastcrypt4j.nn.training.CheckpointException;
import org.fastcrypt4j.nn.training.CheckpointKey;
import org.fastcrypt4j.nn.training.TrainingOptions;
import org.fastcrypt4j.transport.PartiesConfig;
import org.fastcrypt4j.transport.aeron.LocalParties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Checkpoints at rest and resuming: a run stopped after k steps and resumed in a fresh session (fresh PRG keys, no
 * mask reused) ends within fixed-point tolerance of the uninterrupted run; a checkpoint with one flipped bit, a
 * truncated one, one with trailing bytes, another party's, another model's, other parties', another job's and
 * another run's are refused, naming the file (or the party whose file differs); files are 0600 in a 0700 directory.
 */
class CheckpointResumeTest {
    private final long seed = System.nanoTime();
    private static final String JOB = "test job: cnn, 2 epochs";
    /**
     * Resumed against uninterrupted: both runs train in fixed point with different truncation randomness, so their
     * weights differ by a few units of 2^-20 per step; 1e-3 leaves a wide margin (measured: below 1e-4).
     */
    private static final double RESUME_TOLERANCE = 1e-3;

    private final KeyPair[] keys = LocalParties.freshKeys();
    private final MultiLayerConfiguration secure = SecureConversion.toSecure(SecureTrainingTest.cnn(PoolingType.MAX));

    /**
     * Trains the small CNN for 2 epochs (8 steps) with checkpoints every 3 steps in {@code dir}, stopping after
     * {@code stopAfter} steps (0: to the end); with {@code resume}, each party starts from its checkpoints in
     * {@code resume} (agreed with the others). Returns the model revealed to P0 (null when stopped) and the session
     * ids.
     */
    private Object[] run(List<DataSet> data, Path dir, long stopAfter, Path resume) {
        List<Object[]> out = ThreeParties.run(keys, net -> s -> {
            SecureMultiLayerNetwork n = new SecureMultiLayerNetwork(secure, s);
            CheckpointKey key = CheckpointKey.derive(s.party(), keys[s.party()], net.config());
            if (resume == null) {
                n.initParameters(0);
            } else {
                n.resumeFrom(CheckpointAgreement.agree(s.transport(),
                        Checkpoint.readAll(resume, key, n.configHash(), JOB)));
            }
            TrainingOptions o = TrainingOptions.epochs(2).withCheckpoints(dir, 3, key).withJob(JOB)
                    .stoppingAfter(stopAfter);
            n.fit(1, s.party() == 1 ? new ListDataSetIterator<>(data, 1) : null, o);
            MultiLayerNetwork m = stopAfter > 0 ? null : n.exportModel(0);
            return new Object[] {m == null ? null : m.params(), s.sessionId(), n.step()};
        });
        return new Object[] {out.get(0)[0], out.get(0)[1], out.get(0)[2]};
    }

    @Test
    void aRunStoppedAfterKStepsAndResumedInAFreshSessionEndsWithinTolerance(@TempDir Path tmp) throws Exception {
        List<DataSet> data = SecureTrainingTest.batches(new SplittableRandom(seed), 4, 6, 64, 4);
        INDArray whole = (INDArray) run(data, tmp.resolve("whole"), 0, null)[0];
        Path stopped = tmp.resolve("stopped");
        Object[] first = run(data, stopped, 5, null);
        assertEquals(5L, first[2]);
        PartiesConfig parties = partiesOf(keys);
        for (int p = 0; p < 3; p++) {
            Checkpoint c = Checkpoint.read(Checkpoint.file(stopped, p), CheckpointKey.derive(p, keys[p], parties),
                    Checkpoint.configHash(secure.toJson()), JOB);
            assertEquals(5, c.step(), "stopping writes the step it stops at");
            assertEquals(3, Checkpoint.read(Checkpoint.previousFile(stopped, p), CheckpointKey.derive(p, keys[p],
                    parties), Checkpoint.configHash(secure.toJson()), JOB).step());
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(stopped)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                Checkpoint.file(stopped, 1))));
        Object[] resumed = run(data, tmp.resolve("resumed"), 0, stopped);
        assertEquals(8L, resumed[2]);
        assertFalse(java.util.Arrays.equals((byte[]) first[1], (byte[]) resumed[1]), "a resumed run is a new session");
        double diff = ((INDArray) resumed[0]).sub(whole).amaxNumber().doubleValue();
        assertTrue(diff <= RESUME_TOLERANCE, "resumed run differs from the uninterrupted one by " + diff + ", seed "
                + seed);
        System.out.printf("resumed vs uninterrupted: largest weight difference %.3g (tolerance %.0e)%n", diff,
                RESUME_TOLERANCE);
    }

    private static PartiesConfig partiesOf(KeyPair[] k) {
        return new PartiesConfig(new PartiesConfig.Party(0, "127.0.0.1", 1, k[0].getPublic()),
                new PartiesConfig.Party(1, "127.0.0.1", 2, k[1].getPublic()),
                new PartiesConfig.Party(2, "127.0.0.1", 3, k[2].getPublic()));
    }

    @Test
    void corruptedTruncatedExtendedAndForeignFilesAreRefusedNamingTheFile(@TempDir Path tmp) throws Exception {
        List<DataSet> data = SecureTrainingTest.batches(new SplittableRandom(seed), 2, 4, 64, 4);
        Path dir = tmp.resolve("ckpt");
        run(data, dir, 2, null);
        PartiesConfig parties = partiesOf(keys);
        CheckpointKey key1 = CheckpointKey.derive(1, keys[1], parties);
        byte[] hash = Checkpoint.configHash(secure.toJson());
        Path good = Checkpoint.file(dir, 1);
        byte[] bytes = Files.readAllBytes(good);
        assertEquals(2, Checkpoint.read(good, key1, hash, JOB).step());

        SplittableRandom r = new SplittableRandom(seed);
        for (int trial = 0; trial < 5; trial++) {
            byte[] flipped = bytes.clone();
            int at = 16 + r.nextInt(bytes.length - 16);
            flipped[at] ^= (byte) (1 << r.nextInt(8));
            assertRefused(tmp, "flipped", flipped, key1, hash, "does not authenticate", "bit flipped at " + at);
        }
        assertRefused(tmp, "truncated", java.util.Arrays.copyOf(bytes, bytes.length / 2), key1, hash, "truncated", "");
        byte[] extended = java.util.Arrays.copyOf(bytes, bytes.length + 7);
        assertRefused(tmp, "extended", extended, key1, hash, "7 trailing bytes", "");
        assertRefused(tmp, "party2", Files.readAllBytes(Checkpoint.file(dir, 2)), key1, hash,
                "another party's file", "");
        CheckpointException model = assertThrows(CheckpointException.class,
                () -> Checkpoint.read(good, key1, new byte[32], JOB));
        assertTrue(model.getMessage().contains(good.toString()) && model.getMessage().contains("another model"),
                model.getMessage());
        KeyPair[] others = {keys[0], keys[1], org.fastcrypt4j.transport.PartyKeys.generate()};
        CheckpointException parties2 = assertThrows(CheckpointException.class,
                () -> Checkpoint.read(good, CheckpointKey.derive(1, keys[1], partiesOf(others)), hash, JOB));
        assertTrue(parties2.getMessage().contains("other parties"), parties2.getMessage());
        CheckpointException job = assertThrows(CheckpointException.class,
                () -> Checkpoint.read(good, key1, hash, "test job: cnn, 3 epochs"));
        assertTrue(job.getMessage().contains("options") && job.getMessage().contains(good.toString()),
                job.getMessage());
    }

    private static void assertRefused(Path tmp, String name, byte[] content, CheckpointKey key, byte[] hash,
            String expected, String context) throws Exception {
        Path f = tmp.resolve(name + ".ckpt");
        Files.write(f, content);
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(f, key, hash, JOB),
                name + " accepted " + context);
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains(expected),
                e.getMessage() + " " + context);
    }

    /** Party 1 resumes from a checkpoint of another run (same model, job and step): both others name party 1. */
    @Test
    void aCheckpointOfAnotherRunIsRefusedNamingTheParty(@TempDir Path tmp) throws Exception {
        List<DataSet> data = SecureTrainingTest.batches(new SplittableRandom(seed), 2, 4, 64, 4);
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        run(data, a, 2, null);
        run(data, b, 2, null);
        for (Path d : new Path[] {a, b}) {
            for (int p = 0; p < 3; p++) {
                Files.deleteIfExists(Checkpoint.previousFile(d, p));
            }
        }
        Files.copy(Checkpoint.file(b, 1), Checkpoint.file(a, 1), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String[] errors = new String[3];
        List<String> out = ThreeParties.run(keys, net -> s -> {
            CheckpointKey key = CheckpointKey.derive(s.party(), keys[s.party()], net.config());
            try {
                CheckpointAgreement.agree(s.transport(), Checkpoint.readAll(a, key,
                        Checkpoint.configHash(secure.toJson()), JOB));
                return "agreed";
            } catch (CheckpointException e) {
                return e.getMessage();
            }
        });
        for (int p = 0; p < 3; p++) {
            errors[p] = out.get(p);
        }
        assertTrue(errors[1].contains("party 1") && errors[1].contains(Checkpoint.file(a, 1).toString()), errors[1]);
        assertTrue(errors[0].contains("party 1's checkpoint is of another run"), errors[0]);
        assertTrue(errors[2].contains("party 1's checkpoint is of another run"), errors[2]);
        assertArrayEquals(new String[] {"agreed", "agreed", "agreed"}, ThreeParties.run(keys, net -> s -> {
            CheckpointKey key = CheckpointKey.derive(s.party(), keys[s.party()], net.config());
            CheckpointAgreement.agree(s.transport(), Checkpoint.readAll(b, key, Checkpoint.configHash(secure.toJson()),
                    JOB));
            return "agreed";
        }).toArray(new String[0]), "the files of one run agree");
    }
}

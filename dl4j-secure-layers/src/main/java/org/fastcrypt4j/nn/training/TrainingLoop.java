package org.fastcrypt4j.nn.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.network.DataOwnerInput;
import org.fastcrypt4j.ring.FixedPoint;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The training loop of a secure network, whatever its shape (a stack of layers or a graph): batches shared by the
 * data owner, one training step each ({@link Trainable#fitBatch}), DL4J listeners and the options' step listener,
 * the loss revealed to the data owner when asked, checkpoints on schedule, at a requested stop and at the end, and
 * resuming from a checkpoint. It keeps the public counters (step, epoch, batch in the epoch) and the run id.
 */
public final class TrainingLoop {

    /** What the loop drives. */
    public interface Trainable {
        /** One training step on a shared batch; the mean loss, shared, when {@code withLoss}, else null. */
        SharedTensor fitBatch(SharedTensor features, SharedTensor labels, boolean withLoss);

        /** The network's parameters (for checkpoints). */
        ParameterSet parameters();

        /** The network's optimizer (its state goes into checkpoints). */
        SecureOptimizer optimizer();

        /** SHA-256 of the network's configuration. */
        byte[] configHash();
    }

    private final Session session;
    private final Trainable net;
    private final DataOwnerInput input;
    private final FixedPoint fixedPoint;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private final SecureTrainingModel listenerView;
    private long step;
    private int epoch;
    private int batchInEpoch;
    private byte[] runId;
    private long lastCheckpointStep = -1;

    public TrainingLoop(Session session, Trainable net, DataOwnerInput input, FixedPoint fixedPoint,
            NeuralNetConfiguration outputConf) {
        this.session = session;
        this.net = net;
        this.input = input;
        this.fixedPoint = fixedPoint;
        this.listenerView = new SecureTrainingModel(outputConf);
    }

    public void setListeners(TrainingListener... ls) {
        listeners.clear();
        listeners.addAll(Arrays.asList(ls));
    }

    /** Global steps done so far (restored from a checkpoint on resume). */
    public long step() {
        return step;
    }

    /** The current epoch (DL4J's epoch count: epochs finished so far). */
    public int epoch() {
        return epoch;
    }

    /**
     * Trains on the data owner's iterator (see {@code SecureMultiLayerNetwork.fit}); the loss, when asked for, is
     * revealed to the data owner.
     */
    public void fit(int dataOwner, DataSetIterator iteratorAtOwner, TrainingOptions options) {
        fit(new DataOwnerBatches(session, dataOwner, iteratorAtOwner, input, fixedPoint), options);
    }

    /**
     * Trains on {@code data} for the options' epochs. With checkpoints, every party writes its own file every
     * {@code checkpointEvery} steps, at a requested stop, and at the end.
     */
    public void fit(TrainingData data, TrainingOptions options) {
        if (runId == null) {
            runId = Arrays.copyOf(session.sessionId(), Checkpoint.RUN_ID_BYTES);
        }
        for (; epoch < options.epochs(); epoch++) {
            data.startEpoch(batchInEpoch);
            listeners.forEach(l -> l.onEpochStart(listenerView));
            while (true) {
                if (options.stopAfterStep() > 0 && step >= options.stopAfterStep()) {
                    writeCheckpoint(options);   // stopping writes the step it stops at
                    return;
                }
                long t0 = System.nanoTime();
                SharedTensor[] xy = data.next();
                if (xy == null) {
                    break;
                }
                SharedTensor loss = net.fitBatch(xy[0], xy[1], options.revealLoss());
                double revealed = loss == null ? Double.NaN : data.revealLoss(loss);
                step++;
                batchInEpoch++;
                int batch = (int) xy[0].shape()[0];
                listenerView.update(revealed, batch);
                for (TrainingListener l : listeners) {
                    l.iterationDone(listenerView, (int) step, epoch);
                }
                if (options.listener() != null) {
                    options.listener().onStep(new TrainingOptions.Progress(step, epoch, batchInEpoch, batch,
                            (System.nanoTime() - t0) / 1e9, session.stats().totalBytesSent(), session.stats().depth(),
                            revealed));
                }
                if (options.checkpointDir() != null && step % options.checkpointEvery() == 0) {
                    writeCheckpoint(options);
                }
            }
            listeners.forEach(l -> l.onEpochEnd(listenerView));
            batchInEpoch = 0;
        }
        writeCheckpoint(options);
    }

    /** Writes this party's checkpoint of the current step, unless there are none or this step's is written. */
    private void writeCheckpoint(TrainingOptions o) {
        if (o.checkpointDir() == null || step == lastCheckpointStep) {
            return;
        }
        CheckpointKey key = o.checkpointKey();
        Checkpoint c = new Checkpoint(session.party(), net.configHash(), key.partiesFingerprint(), runId, o.job(), step,
                epoch, batchInEpoch, net.parameters().parameters(), net.optimizer().state(), null);
        try {
            c.write(o.checkpointDir(), key);
        } catch (IOException e) {
            throw new UncheckedIOException("party " + session.party() + ": cannot write checkpoint in "
                    + o.checkpointDir() + ": " + e.getMessage(), e);
        }
        lastCheckpointStep = step;
    }

    /**
     * Continues from this party's checkpoint (read and authenticated with {@link Checkpoint#read}, agreed with
     * {@link CheckpointAgreement}): checks with both peers that all three resume the same run, step and job (one
     * round, 32 bytes to each), then restores the shares of the parameters and the optimizer state, the counters and
     * the run id. The session is a fresh one, with fresh keys: nothing of the interrupted session's randomness is
     * reused.
     *
     * @throws CheckpointException naming the party whose checkpoint differs
     */
    public void resumeFrom(Checkpoint c) {
        byte[] id = c.identity();
        int next = session.next();
        int prev = session.prev();
        session.transport().send(next, "train/resume-id", ByteBuffer.wrap(id));
        session.transport().send(prev, "train/resume-id", ByteBuffer.wrap(id));
        ByteBuffer fromPrev = ByteBuffer.allocate(id.length);
        ByteBuffer fromNext = ByteBuffer.allocate(id.length);
        session.transport().receive(prev, "train/resume-id", fromPrev);
        session.transport().receive(next, "train/resume-id", fromNext);
        boolean prevSame = MessageDigest.isEqual(id, fromPrev.array());
        boolean nextSame = MessageDigest.isEqual(id, fromNext.array());
        if (!prevSame || !nextSame) {
            String who = !prevSame && !nextSame ? (MessageDigest.isEqual(fromPrev.array(), fromNext.array())
                    ? "this party's " + c.describe() + " is" : "the three parties' checkpoints are")
                    : "party " + (prevSame ? next : prev) + "'s checkpoint is";
            throw new CheckpointException("party " + session.party() + ": " + who + " of another run, step or job than"
                    + " the others': start every party with the checkpoints of the same run and step");
        }
        net.parameters().set(c.parameters());
        net.optimizer().restoreState(c.optimizerState());
        step = c.step();
        epoch = c.epoch();
        batchInEpoch = c.batchInEpoch();
        runId = c.runId().clone();
        lastCheckpointStep = step;
    }
}

package org.fastcrypt4j.service.client;

import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.fastcrypt4j.nn.network.DataOwnerInput;
import org.fastcrypt4j.service.Request;
import org.fastcrypt4j.service.Uploads;
import org.fastcrypt4j.transport.PartiesConfig;
import org.fastcrypt4j.transport.client.ClientChannel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A data owner: provides its rows (examples and labels) to a training job as shares, 2 ring elements per value
 * uploaded in all, after checking every value against the range the protocols support here, before anything leaves.
 * It learns the job's progress and that it ended; never the model, the loss or anyone else's data.
 */
public final class DataOwnerClient extends ServiceClient {

    /** What the data owner saw: rows provided, the job's steps, seconds and bytes it sent. */
    public record Result(long rows, long steps, double seconds, long bytesSent) {
    }

    /** Rows per upload message. */
    public static final int CHUNK_ROWS = 1024;

    public DataOwnerClient(PartiesConfig servers, String name, KeyPair key, Duration timeout) {
        super(servers, name, key, timeout);
    }

    /** As {@link #provide(String, INDArray, INDArray, JobProgress.Listener)}, with the rows of a DL4J iterator. */
    public Result provide(String job, DataSetIterator data, JobProgress.Listener listener) {
        List<INDArray> xs = new ArrayList<>();
        List<INDArray> ys = new ArrayList<>();
        data.reset();
        while (data.hasNext()) {
            DataSet d = data.next();
            xs.add(d.getFeatures().castTo(DataType.DOUBLE));
            ys.add(d.getLabels().castTo(DataType.DOUBLE));
        }
        if (xs.isEmpty()) {
            throw new IllegalArgumentException("data owner '" + name + "': the iterator has no rows");
        }
        return provide(job, Nd4j.concat(0, xs.toArray(new INDArray[0])), Nd4j.concat(0, ys.toArray(new INDArray[0])),
                listener);
    }

    /**
     * Provides {@code features} (rows first) and one-hot {@code labels} to job {@code job}, then follows the job until
     * it ends.
     *
     * @throws IllegalArgumentException here, before connecting, for a value outside the supported range (naming its
     *         row and position, never the value) or rows that do not match
     * @throws org.fastcrypt4j.service.JobFailure with the servers' reason when the job fails
     */
    public Result provide(String job, INDArray features, INDArray labels, JobProgress.Listener listener) {
        long rows = features.shape()[0];
        if (labels.rank() != 2 || labels.shape()[0] != rows) {
            throw new IllegalArgumentException("data owner '" + name + "': " + rows + " rows of features but labels of"
                    + " shape " + java.util.Arrays.toString(labels.shape()));
        }
        DataOwnerInput.checkRange(features, fixedPoint.fractionalBits(), "data owner '" + name + "': feature");
        DataOwnerInput.checkRange(labels, fixedPoint.fractionalBits(), "data owner '" + name + "': label");
        Request r = Request.of(Request.Kind.PROVIDE).with("job", job).with("rows", rows)
                .with("features", shapeText(features.shape(), 1)).with("labels", labels.shape()[1])
                .with("chunk", CHUNK_ROWS);
        long t0 = System.nanoTime();
        ServerLinks links = open(r);
        try {
            for (long at = 0; at < rows; at += CHUNK_ROWS) {
                long to = Math.min(rows, at + CHUNK_ROWS);
                Uploads.send(links.channels(), "rows/features", fixedPoint.encode(rowsOf(features, at, to)), random);
                Uploads.send(links.channels(), "rows/labels", fixedPoint.encode(rowsOf(labels, at, to)), random);
            }
            for (ClientChannel c : links.channels()) {
                c.send("rows/end", new byte[1]);
            }
            long sent = links.bytesSent();
            while (true) {
                ClientChannel.Message[] m = links.receiveAll(1 << 16);
                switch (m[0].tag()) {
                    case "accepted", "started" -> { }
                    case "progress" -> {
                        if (listener != null) {
                            listener.onProgress(JobProgress.of(m[0].longs(), Double.NaN));
                        }
                    }
                    case "done", "stopped" -> {
                        return new Result(rows, m[0].longs()[0], (System.nanoTime() - t0) / 1e9, sent);
                    }
                    default -> throw links.failure(0, "unexpected '" + m[0].tag() + "' from the servers");
                }
            }
        } catch (org.fastcrypt4j.transport.client.ClientLinkException e) {
            throw links.failure(-1, e.getMessage());
        } finally {
            links.close();
        }
    }

    static INDArray rowsOf(INDArray a, long from, long to) {
        org.nd4j.linalg.indexing.INDArrayIndex[] idx = new org.nd4j.linalg.indexing.INDArrayIndex[a.rank()];
        java.util.Arrays.fill(idx, NDArrayIndex.all());
        idx[0] = NDArrayIndex.interval(from, to);
        return a.get(idx).castTo(DataType.DOUBLE).dup('c');
    }
}

package org.fastcrypt4j.service.client;

import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.fastcrypt4j.nn.network.DataOwnerInput;
import org.fastcrypt4j.service.Request;
import org.fastcrypt4j.service.Uploads;
import org.fastcrypt4j.transport.PartiesConfig;
import org.fastcrypt4j.transport.client.ClientChannel;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A querier: sends its rows as shares to a model the servers hold and receives the prediction, reconstructed here
 * from the servers' components (the logits at full precision, then softmax for a softmax output). No server sees
 * the rows, the model or the prediction; with labels it evaluates here with DL4J's {@link Evaluation}.
 */
public final class QuerierClient extends ServiceClient {

    /** Rows per query request: larger inputs are sent as several queries, so no party holds them all at once. */
    public static final int MAX_ROWS = 1024;

    /** Bytes sent and received by the last query. */
    private long lastSent;
    private long lastReceived;

    public QuerierClient(PartiesConfig servers, String name, KeyPair key, Duration timeout) {
        super(servers, name, key, timeout);
    }

    /**
     * The model's output for {@code features} (rows first): softmax probabilities, or the identity output.
     *
     * @throws IllegalArgumentException here, before connecting, for a value outside the supported range
     * @throws org.fastcrypt4j.service.JobFailure with the servers' reason (no such model, wrong shape, ...)
     */
    public INDArray predict(String model, INDArray features) {
        DataOwnerInput.checkRange(features, fixedPoint.fractionalBits(), "querier '" + name + "': feature");
        long rows = features.shape()[0];
        if (rows > MAX_ROWS) {
            List<INDArray> parts = new ArrayList<>();
            long sent = 0;
            long received = 0;
            for (long at = 0; at < rows; at += MAX_ROWS) {
                parts.add(predict(model, DataOwnerClient.rowsOf(features, at, Math.min(rows, at + MAX_ROWS))));
                sent += lastSent;
                received += lastReceived;
            }
            lastSent = sent;
            lastReceived = received;
            return Nd4j.concat(0, parts.toArray(new INDArray[0]));
        }
        Request r = Request.of(Request.Kind.QUERY).with("model", model).with("rows", rows)
                .with("features", shapeText(features.shape(), 1));
        ServerLinks links = open(r);
        try {
            Uploads.send(links.channels(), "query/features", fixedPoint.encode(features.castTo(DataType.DOUBLE)
                    .dup('c')), random);
            ClientChannel.Message[] meta = links.receiveAll(1024);
            if (!meta[0].tag().equals("query/meta")) {
                throw links.failure(0, "unexpected '" + meta[0].tag() + "' from the servers");
            }
            boolean softmax = meta[0].longs()[0] == 1;
            long classes = meta[0].longs()[1];
            long batch = meta[0].longs()[2];
            List<INDArray> parts = new ArrayList<>();
            for (long at = 0; at < rows; at += batch) {
                long k = Math.min(rows, at + batch) - at;
                INDArray logits = fixedPoint.decodeProduct(download(links, "query/logits", k, classes));
                parts.add(softmax ? Transforms.softmax(logits.castTo(DataType.DOUBLE), true) : logits);
            }
            lastSent = links.bytesSent();
            lastReceived = links.bytesReceived();
            return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(new INDArray[0]));
        } catch (org.fastcrypt4j.transport.client.ClientLinkException e) {
            throw links.failure(-1, e.getMessage());
        } finally {
            links.close();
        }
    }

    /** Predicts every batch of {@code data} and evaluates here; {@code predictions} (or null) sees each batch's. */
    public Evaluation evaluate(String model, DataSetIterator data, Consumer<INDArray> predictions) {
        Evaluation eval = null;
        data.reset();
        while (data.hasNext()) {
            DataSet d = data.next();
            INDArray p = predict(model, d.getFeatures());
            if (eval == null) {
                eval = new Evaluation((int) p.shape()[1]);
            }
            eval.eval(d.getLabels().castTo(DataType.FLOAT), p.castTo(DataType.FLOAT));
            if (predictions != null) {
                predictions.accept(p);
            }
        }
        return eval;
    }

    /** Bytes this querier sent to the servers in its last query. */
    public long lastBytesSent() {
        return lastSent;
    }

    public long lastBytesReceived() {
        return lastReceived;
    }
}

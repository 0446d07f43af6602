package org.fastcrypt4j.examples.data;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.datavec.api.records.reader.impl.csv.CSVRecordReader;
import org.datavec.api.split.FileSplit;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The rows a client brings, named on the command line:
 * <ul>
 *   <li>{@code mnist-train:FROM:TO}, {@code mnist-test:FROM:TO} (and {@code fashion-...}): images FROM to TO of
 *       MNIST (or Fashion-MNIST), standardised as the demos do;</li>
 *   <li>{@code csv:FILE}: a CSV file read with DataVec's {@link CSVRecordReader} and
 *       {@link RecordReaderDataSetIterator}, the DL4J way of reading tabular data, with the label column and the
 *       number of classes given (labels become one-hot rows) and header lines skipped.</li>
 * </ul>
 */
public final class ClientData {
    private ClientData() {
    }

    /** CSV settings: the label column (0-based), the number of classes, header lines to skip. */
    public record Csv(int labelColumn, int classes, int skipLines) {
    }

    /**
     * Loads {@code spec}.
     *
     * @throws IllegalArgumentException naming the spec when it is malformed
     */
    public static DataSet load(String spec, Csv csv) throws IOException, InterruptedException {
        if (spec.startsWith("csv:")) {
            if (csv == null || csv.labelColumn() < 0 || csv.classes() < 2) {
                throw new IllegalArgumentException("csv data needs --label-column and --classes (at least 2)");
            }
            File f = new File(spec.substring(4));
            if (!f.isFile()) {
                throw new java.nio.file.NoSuchFileException(f.toString());
            }
            CSVRecordReader rr = new CSVRecordReader(csv.skipLines(), ',');
            rr.initialize(new FileSplit(f));
            DataSetIterator it = new RecordReaderDataSetIterator(rr, 1024, csv.labelColumn(), csv.classes());
            List<INDArray> xs = new ArrayList<>();
            List<INDArray> ys = new ArrayList<>();
            while (it.hasNext()) {
                DataSet d = it.next();
                xs.add(d.getFeatures().castTo(DataType.DOUBLE));
                ys.add(d.getLabels().castTo(DataType.DOUBLE));
            }
            if (xs.isEmpty()) {
                throw new IllegalArgumentException(f + ": no rows");
            }
            return new DataSet(Nd4j.concat(0, xs.toArray(new INDArray[0])), Nd4j.concat(0, ys.toArray(new INDArray[0])));
        }
        String[] f = spec.split(":");
        String[] kind = f[0].split("-");
        if (kind.length != 2 || !(kind[1].equals("train") || kind[1].equals("test")) || f.length > 3) {
            throw new IllegalArgumentException("data '" + spec + "': mnist-train:FROM:TO, mnist-test:FROM:TO,"
                    + " fashion-train:FROM:TO, fashion-test:FROM:TO or csv:FILE");
        }
        Datasets.Kind k = Datasets.Kind.valueOf(kind[0].toUpperCase(Locale.ROOT));
        boolean train = kind[1].equals("train");
        int from = f.length > 1 ? Integer.parseInt(f[1]) : 0;
        int to = f.length > 2 ? Integer.parseInt(f[2]) : (train ? 60_000 : 10_000);
        return Datasets.open(k).rows(train, from, to);
    }
}

package org.fastcrypt4j.nn.conf;

import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * A secure layer configuration: what the three parties compute on shares. Each one names the plain DL4J layer it
 * computes ({@link #toPlain()}), with the same parameter layout, weight initialisation and updater: the
 * plaintext twin that gradient checks, weight initialisation and the plaintext baselines use.
 */
public interface SecureLayerConf {

    /** The plain DL4J layer computing the same function in the clear (a new instance). */
    Layer toPlain();
}

/**
 * Falcon-style sign bit (Falcon, Wagh et al., PETS 2021, section 3; PROTOCOLS.md section 5):
 * {@link org.fastcrypt4j.mpc.falcon.FalconMsb} computes the MSB from the parity of a wrap count
 * ({@link org.fastcrypt4j.mpc.falcon.Wrap3}) of a masked reveal and
 * {@link org.fastcrypt4j.mpc.falcon.PrivateCompare} over the field Z_67
 * ({@link org.fastcrypt4j.mpc.falcon.ZpShares}), with all of its correlated randomness produced by the three
 * parties themselves ({@link org.fastcrypt4j.mpc.falcon.FalconPreprocessing}, single-use, no dealer).
 *
 * <p>The only family besides {@code sharing} that opens values: Wrap3 opens the masked 2a + r and
 * PrivateCompare the multiplicatively masked product d, both through the capability of
 * {@code org.fastcrypt4j.mpc.opening} (2 openings per MSB call, none in preprocessing). Depends on
 * {@code sharing}, {@code arithmetic} and {@code binary}.
 */
package org.fastcrypt4j.mpc.falcon;

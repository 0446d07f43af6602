package org.fastcrypt4j.ring;

import java.util.Locale;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Chooses the {@link RingKernels} implementation once: {@code org.fastcrypt4j.ring.cuda.CudaRingKernels}
 * (loaded reflectively through its public no-argument constructor) when ND4J's active backend is the CUDA
 * one, or the system property / environment variable {@code FASTCRYPT4J_RING_KERNELS} says {@code cuda};
 * {@link CpuRingKernels} otherwise, or when {@code FASTCRYPT4J_RING_KERNELS=cpu}. If the CUDA class cannot be
 * loaded the CPU kernels are used and a warning is printed to stderr.
 */
public final class RingKernelsProvider {

    /** Name of the switch (system property or environment variable): {@code cpu}, {@code cuda} or unset (auto). */
    public static final String SWITCH = "FASTCRYPT4J_RING_KERNELS";
    static final String CUDA_CLASS = "org.fastcrypt4j.ring.cuda.CudaRingKernels";

    private static volatile RingKernels current;

    private RingKernelsProvider() {
    }

    /** The chosen implementation (created on first use). */
    public static RingKernels current() {
        RingKernels k = current;
        if (k == null) {
            synchronized (RingKernelsProvider.class) {
                k = current;
                if (k == null) {
                    k = choose();
                    current = k;
                }
            }
        }
        return k;
    }

    private static RingKernels choose() {
        String wanted = System.getProperty(SWITCH, System.getenv(SWITCH));
        wanted = wanted == null ? "" : wanted.trim().toLowerCase(Locale.ROOT);
        if (wanted.equals("cpu")) {
            return new CpuRingKernels();
        }
        if (wanted.equals("cuda") || cudaBackendActive()) {
            try {
                return (RingKernels) Class.forName(CUDA_CLASS).getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                System.err.println("fastcrypt4j: CUDA ring kernels unavailable (" + e
                        + "); using the CPU ring kernels");
            }
        }
        return new CpuRingKernels();
    }

    private static boolean cudaBackendActive() {
        try {
            return Nd4j.getBackend().getClass().getName().toLowerCase(Locale.ROOT).contains("cuda");
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}

package org.fastcrypt4j.ring.cuda;

/** A CUDA driver or NVRTC call failed; the message names the call, the error code and CUDA's description. */
public final class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure described by message. */
    public CudaException(String message) {
        super(message);
    }

    /** A failure described by message, caused by cause. */
    public CudaException(String message, Throwable cause) {
        super(message, cause);
    }
}

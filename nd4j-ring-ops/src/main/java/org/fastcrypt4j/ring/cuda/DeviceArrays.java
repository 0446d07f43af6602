package org.fastcrypt4j.ring.cuda;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Device addresses of ND4J LONG arrays under the CUDA backend, found without compile-time access to
 * nd4j-cuda: the backend's DataBuffer exposes its libnd4j buffer through {@code getOpaqueDataBuffer()},
 * whose "special" buffer is the device copy. Callers pass compact arrays (see {@link #compact}); the
 * methods keep ND4J's host/device bookkeeping right around a kernel launch.
 */
final class DeviceArrays {
    /** Class name of ND4J's CUDA backend. */
    static final String CUDA_BACKEND = "org.nd4j.linalg.jcublas.JCublasBackend";

    private DeviceArrays() {
    }

    /** True if ND4J's active backend is its CUDA backend. */
    static boolean cudaBackendActive() {
        return CUDA_BACKEND.equals(Nd4j.getBackend().getClass().getName());
    }

    /** a itself if it is a LONG c-order array that owns its whole buffer from offset 0, else a c-order copy. */
    static INDArray compact(INDArray a) {
        if (a.dataType() != DataType.LONG) {
            throw new IllegalArgumentException("ring kernels need LONG arrays, got " + a.dataType() + " of shape "
                    + java.util.Arrays.toString(a.shape()));
        }
        boolean owns = !a.isView() && a.ordering() == 'c' && a.offset() == 0 && a.data().length() == a.length();
        return owns ? a : a.dup('c');
    }

    /**
     * Device address of a compact array's first element, after ND4J has finished queued work and copied
     * any newer host data to the device.
     */
    static long address(INDArray a) {
        Nd4j.getExecutioner().commit();
        Nd4j.getAffinityManager().ensureLocation(a, AffinityManager.Location.DEVICE);
        Pointer special = opaqueBuffer(a.data()).specialBuffer();
        if (special == null || special.isNull()) {
            throw new CudaException("array of shape " + java.util.Arrays.toString(a.shape()) + " has no device buffer");
        }
        return special.address();
    }

    /** Records that a kernel wrote out on the device, so ND4J copies it back before host reads. */
    static void markWritten(INDArray out) {
        Nd4j.getAffinityManager().tagLocation(out, AffinityManager.Location.DEVICE);
    }

    private static org.nd4j.nativeblas.OpaqueDataBuffer opaqueBuffer(DataBuffer buffer) {
        try {
            Method getter = buffer.getClass().getMethod("getOpaqueDataBuffer");
            return (org.nd4j.nativeblas.OpaqueDataBuffer) getter.invoke(buffer);
        } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException | ClassCastException e) {
            throw new CudaException("ND4J data buffer " + buffer.getClass().getName()
                    + " does not expose getOpaqueDataBuffer(); is the CUDA backend active?", e);
        }
    }
}

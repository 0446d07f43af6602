package org.fastcrypt4j.ring.cuda;

import static org.bytedeco.cuda.global.cudart.CUDA_SUCCESS;
import static org.bytedeco.cuda.global.cudart.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR;
import static org.bytedeco.cuda.global.cudart.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR;
import static org.bytedeco.cuda.global.cudart.cuCtxGetDevice;
import static org.bytedeco.cuda.global.cudart.cuDeviceGetAttribute;
import static org.bytedeco.cuda.global.cudart.cuGetErrorString;
import static org.bytedeco.cuda.global.cudart.cuInit;
import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.cudart.cudaGetErrorString;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Checked access to the CUDA driver API through org.bytedeco:cuda. The CUDA runtime that ND4J's CUDA
 * backend uses owns the device's primary context; {@link #currentDevice()} makes that context current
 * on the calling thread, so modules and launches share ND4J's context and its device buffers.
 */
final class CudaDriver {
    private CudaDriver() {
    }

    /** Throws a CudaException naming call if a driver API result is not CUDA_SUCCESS. */
    static void check(int result, String call) {
        if (result != CUDA_SUCCESS) {
            BytePointer description = new BytePointer((Pointer) null);
            String text = cuGetErrorString(result, description) == CUDA_SUCCESS && !description.isNull()
                    ? description.getString() : "unknown error";
            throw new CudaException(call + " failed with CUresult " + result + ": " + text);
        }
    }

    /** Throws a CudaException naming call if a runtime API result is not cudaSuccess (0). */
    static void checkRuntime(int result, String call) {
        if (result != 0) {
            throw new CudaException(call + " failed with cudaError " + result + ": " + cudaGetErrorString(result).getString());
        }
    }

    /**
     * Initialises the driver, makes the runtime's primary context of the thread's device current and
     * returns that device's ordinal.
     */
    static int currentDevice() {
        check(cuInit(0), "cuInit");
        checkRuntime(cudaFree(null), "cudaFree(null) (runtime context initialisation)");
        int[] device = new int[1];
        check(cuCtxGetDevice(device), "cuCtxGetDevice");
        return device[0];
    }

    /** Compute capability of device as major * 10 + minor, e.g. 80 for an A100. */
    static int computeCapability(int device) {
        int[] major = new int[1];
        int[] minor = new int[1];
        check(cuDeviceGetAttribute(major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device), "cuDeviceGetAttribute(major)");
        check(cuDeviceGetAttribute(minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device), "cuDeviceGetAttribute(minor)");
        return major[0] * 10 + minor[0];
    }
}

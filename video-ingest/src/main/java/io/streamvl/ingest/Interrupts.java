package io.streamvl.ingest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.javacpp.Pointer;

/**
 * FFmpeg's interrupt callback, which blocking I/O polls: returning true aborts the call. One
 * native callback serves all contexts, keyed by the AVFormatContext address.
 */
final class Interrupts {
    private static final Map<Long, BooleanSupplier> REGISTERED = new ConcurrentHashMap<>();
    private static final Callback CALLBACK = new Callback().retainReference();

    private Interrupts() {}

    static void register(AVFormatContext oc, BooleanSupplier shouldAbort) {
        REGISTERED.put(oc.address(), shouldAbort);
        oc.interrupt_callback().callback(CALLBACK).opaque(oc);
    }

    static void unregister(long formatContextAddress) {
        REGISTERED.remove(formatContextAddress);
    }

    private static final class Callback extends AVIOInterruptCB.Callback_Pointer {
        @Override
        public int call(Pointer opaque) {
            BooleanSupplier s = REGISTERED.get(opaque.address());
            return s != null && s.getAsBoolean() ? 1 : 0;
        }
    }
}

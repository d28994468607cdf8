package io.streamvl.operators.model;

import io.streamvl.models.llavamini.LlavaMiniModel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code llava-mini} models of this JVM, one per distinct {@link ModelSettings}, shared by every
 * operator instance that leases it and closed when the last lease is closed. Operators acquire in
 * {@code open} and close their lease in {@code close}.
 *
 * <p>Why one instance with a lock rather than one per slot: {@link LlavaMiniModel} is not thread-safe
 * (the decoder's KV cache is graph state that every {@code generate} resets and fills; the compressor
 * caches position tables in a plain map; every part is documented as driven by one caller at a time),
 * and the operators that use it (frame encoding,
 * live captions, generation, queries) run in different tasks, hence different threads, even within
 * one slot, so one model per subtask index would not make it safe either. One model per slot and
 * operator would hold the weights many times over (an 8B model is ~30 GB in float32). So all
 * operators of a JVM share one model per settings, and every call into it is serialized by the
 * lease's {@link Lease#call}: a TF run uses all intra-op threads (or the GPU) anyway, so little
 * parallelism is lost.
 */
public final class SharedModels {
    private static final Logger LOG = LoggerFactory.getLogger(SharedModels.class);
    private static final Map<ModelSettings, Entry> MODELS = new HashMap<>();

    private SharedModels() {}

    /** Opens the model on first use; later calls with equal settings share it. */
    public static Lease acquire(ModelSettings settings) {
        synchronized (MODELS) {
            Entry e = MODELS.get(settings);
            if (e == null) {
                long t0 = System.nanoTime();
                LlavaMiniModel model = LlavaMiniModel.open(Path.of(settings.bundleDir()), settings.visionOptions(),
                        settings.decoderOptions());
                LOG.info("opened model {} in {} ms", settings, (System.nanoTime() - t0) / 1_000_000);
                e = new Entry(settings, model);
                MODELS.put(settings, e);
            }
            e.leases++;
            return new Lease(e);
        }
    }

    /** Leases held on the model of these settings; 0 when it is not open. */
    static int leases(ModelSettings settings) {
        synchronized (MODELS) {
            Entry e = MODELS.get(settings);
            return e == null ? 0 : e.leases;
        }
    }

    private static void release(Entry e) {
        synchronized (MODELS) {
            if (--e.leases == 0) {
                MODELS.remove(e.settings);
                e.model.close();
                LOG.info("closed model {}", e.settings);
            }
        }
    }

    private static final class Entry {
        final ModelSettings settings;
        final LlavaMiniModel model;
        // fair: a long generation should not starve the frame encoder, nor the reverse
        final ReentrantLock lock = new ReentrantLock(true);
        int leases;

        Entry(ModelSettings settings, LlavaMiniModel model) {
            this.settings = settings;
            this.model = model;
        }
    }

    /** One holder's use of a shared model. Not for use after {@link #close}. */
    public static final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean closed;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        /**
         * Runs {@code work} with the model, holding its lock: the only way to use it. Reentrant, so
         * {@code work} may call {@link #model()} and nest calls.
         */
        public <T> T call(Function<LlavaMiniModel, T> work) {
            checkOpen();
            entry.lock.lock();
            try {
                return work.apply(entry.model);
            } finally {
                entry.lock.unlock();
            }
        }

        /**
         * The model, for code already inside {@link #call} (e.g. a helper handed the lease).
         *
         * @throws IllegalStateException outside {@link #call}: the model is shared between threads
         */
        public LlavaMiniModel model() {
            checkOpen();
            if (!entry.lock.isHeldByCurrentThread()) {
                throw new IllegalStateException("the shared model is used by several threads; use it inside Lease.call");
            }
            return entry.model;
        }

        public ModelSettings settings() {
            return entry.settings;
        }

        private void checkOpen() {
            if (closed) {
                throw new IllegalStateException("lease on " + entry.settings + " is closed");
            }
        }

        /** Gives the lease back; the model closes with the last one. Idempotent. */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                release(entry);
            }
        }
    }
}

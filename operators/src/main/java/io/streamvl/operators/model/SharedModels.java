package io.streamvl.operators.model;

import io.streamvl.models.llavamini.LlavaMiniModel;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models of this JVM, one per {@link ModelKind} and distinct {@link ModelSettings}, shared by every
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
 * parallelism is lost. TS-LLaVA's model is no more thread-safe (its decoder is the same kind), so it is shared
 * the same way; the two kinds are separate models with a lock each.
 */
public final class SharedModels {
    private static final Logger LOG = LoggerFactory.getLogger(SharedModels.class);
    private static final Map<Key, Entry<?>> MODELS = new HashMap<>();

    private SharedModels() {}

    private record Key(ModelKind<?> kind, ModelSettings settings) {}

    /** The LLaVA-Mini model of these settings; see {@link #acquire(ModelKind, ModelSettings)}. */
    public static Lease<LlavaMiniModel> acquire(ModelSettings settings) {
        return acquire(ModelKind.LLAVA_MINI, settings);
    }

    /** Opens the model on first use; later calls with the same kind and equal settings share it. */
    public static <M extends AutoCloseable> Lease<M> acquire(ModelKind<M> kind, ModelSettings settings) {
        Key key = new Key(kind, settings);
        synchronized (MODELS) {
            @SuppressWarnings("unchecked") // MODELS holds an Entry<M> under a key of kind M
            Entry<M> e = (Entry<M>) MODELS.get(key);
            if (e == null) {
                long t0 = System.nanoTime();
                M model = kind.open(settings);
                LOG.info("opened {} model {} in {} ms", kind, settings, (System.nanoTime() - t0) / 1_000_000);
                e = new Entry<>(key, model);
                MODELS.put(key, e);
            }
            e.leases++;
            return new Lease<>(e);
        }
    }

    /** Leases held on the LLaVA-Mini model of these settings; 0 when it is not open. */
    static int leases(ModelSettings settings) {
        return leases(ModelKind.LLAVA_MINI, settings);
    }

    /** Leases held on the model of this kind and settings; 0 when it is not open. */
    public static int leases(ModelKind<?> kind, ModelSettings settings) {
        synchronized (MODELS) {
            Entry<?> e = MODELS.get(new Key(kind, settings));
            return e == null ? 0 : e.leases;
        }
    }

    private static void release(Entry<?> e) {
        synchronized (MODELS) {
            if (--e.leases == 0) {
                MODELS.remove(e.key);
                try {
                    e.model.close();
                } catch (Exception failed) {
                    LOG.warn("closing {} model {} failed", e.key.kind(), e.key.settings(), failed);
                }
                LOG.info("closed {} model {}", e.key.kind(), e.key.settings());
            }
        }
    }

    private static final class Entry<M extends AutoCloseable> {
        final Key key;
        final M model;
        // fair: a long generation should not starve the frame encoder, nor the reverse
        final ReentrantLock lock = new ReentrantLock(true);
        int leases;

        Entry(Key key, M model) {
            this.key = key;
            this.model = model;
        }
    }

    /** One holder's use of a shared model. Not for use after {@link #close}. */
    public static final class Lease<M extends AutoCloseable> implements AutoCloseable {
        private final Entry<M> entry;
        private boolean closed;

        private Lease(Entry<M> entry) {
            this.entry = entry;
        }

        /**
         * Runs {@code work} with the model, holding its lock: the only way to use it. Reentrant, so
         * {@code work} may call {@link #model()} and nest calls.
         */
        public <T> T call(Function<M, T> work) {
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
        public M model() {
            checkOpen();
            if (!entry.lock.isHeldByCurrentThread()) {
                throw new IllegalStateException("the shared model is used by several threads; use it inside Lease.call");
            }
            return entry.model;
        }

        public ModelSettings settings() {
            return entry.key.settings();
        }

        private void checkOpen() {
            if (closed) {
                throw new IllegalStateException("lease on " + entry.key.kind() + " model " + entry.key.settings() + " is closed");
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

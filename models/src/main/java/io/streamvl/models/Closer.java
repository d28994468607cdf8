package io.streamvl.models;

import java.util.ArrayDeque;
import java.util.Deque;

/** Owns the parts of a model as they are opened, so a failure halfway, or the model's close, releases them all. */
public final class Closer implements AutoCloseable {
    private final Deque<AutoCloseable> parts = new ArrayDeque<>();

    public <T extends AutoCloseable> T add(T part) {
        parts.push(part);
        return part;
    }

    /** Closes {@code failure}'s partial work and rethrows it, with any close failures suppressed. */
    public RuntimeException closeAfter(RuntimeException failure) {
        try {
            close();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        return failure;
    }

    /** Closes the parts newest first; the first failure is thrown after all were tried, the rest suppressed. */
    @Override
    public void close() {
        RuntimeException failure = null;
        while (!parts.isEmpty()) {
            try {
                parts.pop().close();
            } catch (Exception e) {
                RuntimeException r = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                if (failure == null) {
                    failure = r;
                } else {
                    failure.addSuppressed(r);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}

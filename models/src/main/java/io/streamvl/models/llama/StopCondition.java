package io.streamvl.models.llama;

/** Decides from the ids generated so far (prompt excluded) that a sequence is complete, e.g. a stop string appeared. */
@FunctionalInterface
public interface StopCondition {
    boolean shouldStop(int[] generated);

    StopCondition NEVER = generated -> false;
}

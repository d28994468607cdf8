package io.streamvl.jobs.config;

import java.io.Serializable;
import java.time.Duration;

/** How a model operator batches its input: at most {@code maxBatch} records, none waiting longer than {@code maxWait}. */
public record Batching(int maxBatch, Duration maxWait) implements Serializable {}

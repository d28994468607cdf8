package io.streamvl.operators.query;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Limits and defaults of the asynchronous-query path, resolved from the job configuration. Immutable; every
 * {@code withXxx} returns a modified copy.
 */
public final class QuerySettings implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Modes a query may name; {@code auto} is answered with the default mode. */
    public static final Set<String> KNOWN_MODES = Set.of("auto", "llava-mini", "ts-llava");

    private final int maxQuestionChars;
    private final int maxTokensLimit;
    private final int defaultMaxTokens;
    private final Set<String> enabledModes;
    private final int maxFramesPerQuery;
    private final double fileSamplingFps;
    private final int decodeFramesPerTurn;
    private final Duration maxFileMedia;
    private final VideoUriPolicy uriPolicy;

    private QuerySettings(int maxQuestionChars, int maxTokensLimit, int defaultMaxTokens, Set<String> enabledModes,
            int maxFramesPerQuery, double fileSamplingFps, int decodeFramesPerTurn, Duration maxFileMedia,
            VideoUriPolicy uriPolicy) {
        if (maxQuestionChars < 1 || maxTokensLimit < 1 || defaultMaxTokens < 1 || defaultMaxTokens > maxTokensLimit
                || maxFramesPerQuery < 1 || !(fileSamplingFps > 0) || Double.isInfinite(fileSamplingFps)
                || decodeFramesPerTurn < 1 || maxFileMedia.isNegative() || maxFileMedia.isZero()) {
            throw new IllegalArgumentException("invalid query settings: maxQuestionChars=" + maxQuestionChars
                    + " maxTokens=" + defaultMaxTokens + "/" + maxTokensLimit + " maxFramesPerQuery="
                    + maxFramesPerQuery + " fileSamplingFps=" + fileSamplingFps + " decodeFramesPerTurn="
                    + decodeFramesPerTurn + " maxFileMedia=" + maxFileMedia);
        }
        if (enabledModes.isEmpty() || !KNOWN_MODES.containsAll(enabledModes)) {
            throw new IllegalArgumentException("enabled modes must be a non-empty subset of " + KNOWN_MODES + ", got "
                    + enabledModes);
        }
        this.maxQuestionChars = maxQuestionChars;
        this.maxTokensLimit = maxTokensLimit;
        this.defaultMaxTokens = defaultMaxTokens;
        this.enabledModes = Set.copyOf(enabledModes);
        this.maxFramesPerQuery = maxFramesPerQuery;
        this.fileSamplingFps = fileSamplingFps;
        this.decodeFramesPerTurn = decodeFramesPerTurn;
        this.maxFileMedia = maxFileMedia;
        this.uriPolicy = Objects.requireNonNull(uriPolicy, "uriPolicy");
    }

    /**
     * Questions up to 1000 characters; 1..1024 new tokens, 128 by default; modes {@code auto} and
     * {@code llava-mini} (answered with LLaVA-Mini) and {@code ts-llava}; at most 64 frames per query; files sampled at
     * 1 fps; 128 decoded frames per mailbox turn; at most 4 hours of a file or URL decoded; any local path,
     * {@code file:} and http(s) URIs.
     */
    public static QuerySettings defaults() {
        return new QuerySettings(1000, 1024, 128, KNOWN_MODES, 64, 1.0, 128, Duration.ofHours(4),
                VideoUriPolicy.anyLocalPath());
    }

    public int maxQuestionChars() {
        return maxQuestionChars;
    }

    /** Largest {@code maxTokens} a query may ask for. */
    public int maxTokensLimit() {
        return maxTokensLimit;
    }

    /** New tokens generated when a query does not say. */
    public int defaultMaxTokens() {
        return defaultMaxTokens;
    }

    public Set<String> enabledModes() {
        return enabledModes;
    }

    /** Frames one answer is based on at most; longer ranges are sampled evenly ({@link EvenSample}). */
    public int maxFramesPerQuery() {
        return maxFramesPerQuery;
    }

    /** Sampling rate of file and URL queries before the per-query cap. */
    public double fileSamplingFps() {
        return fileSamplingFps;
    }

    /** Frames a file query decodes per mailbox turn: bounds how long one turn holds up checkpoints. */
    public int decodeFramesPerTurn() {
        return decodeFramesPerTurn;
    }

    /**
     * Media a file query decodes at most: a URL may be a live stream that never ends, and a file may be longer
     * than anyone should wait for. Decoding stops there and the answer covers what was decoded (its range says
     * so).
     */
    public Duration maxFileMedia() {
        return maxFileMedia;
    }

    public VideoUriPolicy uriPolicy() {
        return uriPolicy;
    }

    public QuerySettings withMaxQuestionChars(int n) {
        return new QuerySettings(n, maxTokensLimit, defaultMaxTokens, enabledModes, maxFramesPerQuery,
                fileSamplingFps, decodeFramesPerTurn, maxFileMedia, uriPolicy);
    }

    public QuerySettings withMaxTokens(int defaultTokens, int limit) {
        return new QuerySettings(maxQuestionChars, limit, defaultTokens, enabledModes, maxFramesPerQuery,
                fileSamplingFps, decodeFramesPerTurn, maxFileMedia, uriPolicy);
    }

    public QuerySettings withEnabledModes(Set<String> modes) {
        return new QuerySettings(maxQuestionChars, maxTokensLimit, defaultMaxTokens, modes, maxFramesPerQuery,
                fileSamplingFps, decodeFramesPerTurn, maxFileMedia, uriPolicy);
    }

    public QuerySettings withMaxFramesPerQuery(int n) {
        return new QuerySettings(maxQuestionChars, maxTokensLimit, defaultMaxTokens, enabledModes, n,
                fileSamplingFps, decodeFramesPerTurn, maxFileMedia, uriPolicy);
    }

    public QuerySettings withFileSamplingFps(double fps) {
        return new QuerySettings(maxQuestionChars, maxTokensLimit, defaultMaxTokens, enabledModes, maxFramesPerQuery,
                fps, decodeFramesPerTurn, maxFileMedia, uriPolicy);
    }

    public QuerySettings withDecodeFramesPerTurn(int n) {
        return new QuerySettings(maxQuestionChars, maxTokensLimit, defaultMaxTokens, enabledModes, maxFramesPerQuery,
                fileSamplingFps, n, maxFileMedia, uriPolicy);
    }

    public QuerySettings withMaxFileMedia(Duration d) {
        return new QuerySettings(maxQuestionChars, maxTokensLimit, defaultMaxTokens, enabledModes, maxFramesPerQuery,
                fileSamplingFps, decodeFramesPerTurn, d, uriPolicy);
    }

    public QuerySettings withUriPolicy(VideoUriPolicy policy) {
        return new QuerySettings(maxQuestionChars, maxTokensLimit, defaultMaxTokens, enabledModes, maxFramesPerQuery,
                fileSamplingFps, decodeFramesPerTurn, maxFileMedia, policy);
    }
}

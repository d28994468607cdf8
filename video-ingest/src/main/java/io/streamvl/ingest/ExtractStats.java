package io.streamvl.ingest;

/**
 * What one {@link FrameExtractor#extract} call did.
 *
 * @param newestEventTimeMillis largest event time of any decoded frame
 */
public record ExtractStats(long framesDecoded, long framesSampled, long newestEventTimeMillis, VideoInfo info) {}

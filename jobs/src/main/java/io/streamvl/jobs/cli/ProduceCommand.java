package io.streamvl.jobs.cli;

import static io.streamvl.jobs.config.StreamvlOptions.*;

import io.streamvl.ingest.segment.SegmentContainer;
import io.streamvl.ingest.segment.SegmentProducer;
import io.streamvl.kafka.SegmentPublisher;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `streamvl produce`: publish a file or camera URL to the segments topic as a live stream. */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = {"Cut a video file or URL into self-contained, keyframe-aligned segments and publish them",
                "to the segments topic (key = stream id; headers: sequence, wall-clock start, container)."})
public final class ProduceCommand implements Callable<Integer> {
    @Mixin
    ConfigMixin config;

    @Option(names = "--input", required = true, paramLabel = "FILE|URL", description = "Video file or URL (rtsp, http(s), hls).")
    String input;

    @Option(names = "--stream", required = true, paramLabel = "ID", description = "Stream id (the Kafka key).")
    String stream;

    @Option(names = "--realtime", description = "Pace publishing like a live camera (a segment once its end time has passed).")
    boolean realtime;

    @Option(names = "--loop", description = "Repeat the input forever (event time keeps increasing).")
    boolean loop;

    @Option(names = "--segment-seconds", paramLabel = "S", description = "Target segment length in seconds (default ${DEFAULT-VALUE}).")
    double segmentSeconds = 2.0;

    @Option(names = "--container", paramLabel = "mpegts|mp4", description = "Segment container (default ${DEFAULT-VALUE}).")
    String container = "mpegts";

    @Override
    public Integer call() throws Exception {
        Configuration conf = config.load();
        checkReadable(input);
        var options = new SegmentProducer.Options(input, stream, realtime, loop, segmentSeconds, SegmentContainer.of(container));
        try (SegmentPublisher publisher = new SegmentPublisher(conf.get(BOOTSTRAP_SERVERS), conf.get(TOPIC_SEGMENTS),
                        conf.get(MAX_MESSAGE_BYTES));
                SegmentProducer producer = new SegmentProducer(publisher, options, (segment, seq, start, meta) ->
                        System.out.printf("segment %d  %.2f s  %d frames  %d bytes  start-ms %d%n", seq,
                                segment.durationMicros() / 1e6, segment.frames(), segment.data().length, start))) {
            Runtime.getRuntime().addShutdownHook(new Thread(producer::close, "streamvl-produce-stop"));
            long n = producer.run();
            System.out.println("published " + n + " segments of stream " + stream + " to " + conf.get(TOPIC_SEGMENTS));
        }
        return 0;
    }

    /** A local path must exist before anything is published; URLs are checked by opening them. */
    static void checkReadable(String input) {
        boolean url = input.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*");
        Path path = url && input.startsWith("file:") ? Path.of(URI.create(input)) : url ? null : Path.of(input);
        if (path != null && !Files.isReadable(path)) {
            throw new IllegalArgumentException("cannot read input " + input + ": "
                    + (Files.exists(path) ? "permission denied" : "no such file"));
        }
    }
}

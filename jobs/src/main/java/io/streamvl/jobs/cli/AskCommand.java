package io.streamvl.jobs.cli;

import static io.streamvl.jobs.config.StreamvlOptions.TOPIC_ANSWERS;
import static io.streamvl.jobs.config.StreamvlOptions.TOPIC_EVENTS;

import io.streamvl.jobs.client.QueryProducer;
import io.streamvl.jobs.client.TopicReader;
import io.streamvl.kafka.Answer;
import io.streamvl.kafka.AnswerStatus;
import io.streamvl.kafka.Json;
import io.streamvl.kafka.Query;
import io.streamvl.kafka.QueryProgress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.TimeUtils;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * `streamvl ask`: puts a query on the queries topic and waits for its answer on the answers topic (committed
 * records only), showing its progress from the events topic.
 */
@Command(name = "ask", mixinStandardHelpOptions = true,
        description = {"Ask a question and wait for its answer. About a live stream's history:",
                "  ask --stream ID [--from T] [--to T] QUESTION",
                "about a video file or URL:",
                "  ask --video URI [--from T] [--to T] QUESTION",
                "of every caption window, with alerts (cancelled with ask --cancel ID):",
                "  ask --standing [--stream ID] [--trigger WORD] QUESTION",
                "Shows the query's progress on stderr and prints the answer (with --json: the",
                "answer record as it is on the answers topic). Exits 0 for an ok answer, 1 for",
                "an error answer or when none came."})
public final class AskCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigMixin config;

    @Parameters(arity = "0..1", paramLabel = "QUESTION", description = "The question (not with --cancel).")
    String question;

    @Option(names = "--stream", paramLabel = "ID", description = "The live stream the question is about.")
    String stream;

    @Option(names = "--video", paramLabel = "URI", description = "The video file (absolute path, file: URI) or "
            + "http(s) URL the question is about; the job must be able to read it.")
    String video;

    @Option(names = "--from", paramLabel = "T", description = {"Start of the range asked about. Streams: epoch ms, "
            + "an ISO-8601 instant (2026-11-26T10:02:00Z) or a duration ago (-5min); default: the oldest frame held.",
            "Videos: time from the start (90s, 1500); default: the start."})
    String from;

    @Option(names = "--to", paramLabel = "T", description = "End of the range (exclusive), in the same forms; "
            + "default: the newest frame (streams), the end (videos).")
    String to;

    @Option(names = "--standing", description = "Register the question on every caption window of --stream (or of "
            + "all streams); its alerts go to the alerts topic (`streamvl tail streamvl.alerts`).")
    boolean standing;

    @Option(names = "--trigger", paramLabel = "WORD", description = "With --standing: alert whenever the answer "
            + "contains this word, not only when it changes.")
    String trigger;

    @Option(names = "--cancel", paramLabel = "ID", description = "Cancel the standing question registered under ID.")
    String cancel;

    @Option(names = "--id", paramLabel = "ID", description = "Query id (default: a new one); a standing question "
            + "is cancelled by it.")
    String id;

    @Option(names = "--max-tokens", paramLabel = "N", description = "Longest answer, in tokens (default: the "
            + "job's streamvl.query.max-tokens).")
    Integer maxTokens;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "How long to wait for the answer "
            + "(default ${DEFAULT-VALUE}).")
    String timeout = "10 min";

    @Option(names = "--json", description = "Print the answer record as JSON instead of its text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Query query = query(System.currentTimeMillis());
        Configuration conf = config.load();
        Duration wait = TimeUtils.parseDuration(timeout);
        ProgressBar bar = new ProgressBar(System.err, System.console() != null);
        // opened before the query is sent, so that its answer cannot come before we look
        try (TopicReader reader = TopicReader.open(conf, List.of(conf.get(TOPIC_ANSWERS), conf.get(TOPIC_EVENTS)),
                        false);
                QueryProducer producer = new QueryProducer(conf)) {
            producer.send(query);
            long deadline = System.currentTimeMillis() + wait.toMillis();
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(500))) {
                    if (!query.queryId.equals(TopicReader.key(r))) {
                        continue;
                    }
                    if (r.topic().equals(conf.get(TOPIC_EVENTS))) {
                        QueryProgress p = Json.read(r.value(), QueryProgress.class);
                        if (QueryProgress.TYPE.equals(p.type)) {
                            bar.update(p);
                        }
                    } else {
                        bar.finish();
                        return print(r.value());
                    }
                }
            }
        }
        bar.finish();
        System.err.println("streamvl: no answer to query " + query.queryId + " within " + timeout + "; it may still "
                + "come: streamvl tail " + conf.get(TOPIC_ANSWERS) + " --from-beginning");
        return 1;
    }

    /** The query these options ask for. */
    Query query(long nowMillis) {
        Query q = new Query();
        q.queryId = id != null ? id : cancel != null ? cancel : "ask-" + UUID.randomUUID();
        q.sentMillis = nowMillis;
        if (cancel != null) {
            if (standing || stream != null || video != null || question != null || from != null || to != null) {
                throw new ParameterException(spec.commandLine(), "--cancel takes nothing but the id to cancel");
            }
            q.kind = Query.KIND_CANCEL;
            return q;
        }
        if (question == null || question.isBlank()) {
            throw new ParameterException(spec.commandLine(), "the question is missing");
        }
        q.question = question;
        q.maxTokens = maxTokens;
        if (standing) {
            if (video != null || from != null || to != null) {
                throw new ParameterException(spec.commandLine(), "--standing watches live streams: no --video, --from "
                        + "or --to");
            }
            q.kind = Query.KIND_STANDING;
            q.streamId = stream;
            q.trigger = trigger;
            return q;
        }
        if ((stream == null) == (video == null) || trigger != null) {
            throw new ParameterException(spec.commandLine(), trigger != null ? "--trigger needs --standing"
                    : "say what the question is about: --stream ID or --video URI");
        }
        q.kind = Query.KIND_ASK;
        q.streamId = stream;
        q.videoUri = video;
        if (from != null) {
            q.fromMillis = video != null ? TimeArgument.mediaTime(from) : TimeArgument.eventTime(from, nowMillis);
        }
        if (to != null) {
            q.toMillis = video != null ? TimeArgument.mediaTime(to) : TimeArgument.eventTime(to, nowMillis);
        }
        return q;
    }

    private int print(byte[] record) throws java.io.IOException {
        Answer a = Json.read(record, Answer.class);
        boolean ok = AnswerStatus.OK.equals(a.status);
        if (json) {
            System.out.println(new String(record, StandardCharsets.UTF_8));
        } else if (!ok) {
            System.err.println("streamvl: " + a.status + ": " + a.message);
        } else if (a.answer == null) {
            System.out.println(a.message);
        } else {
            System.out.println(a.answer);
            System.err.println("(" + a.framesUsed + " frames, " + range(a) + (a.latencyMillis == null ? ""
                    : ", " + a.latencyMillis + " ms") + ")");
        }
        return ok ? 0 : 1;
    }

    private static String range(Answer a) {
        if (a.rangeStartMillis == null) {
            return "no range";
        }
        return a.videoUri != null ? a.rangeStartMillis + "-" + a.rangeEndMillis + " ms of the video"
                : Instant.ofEpochMilli(a.rangeStartMillis) + " to " + Instant.ofEpochMilli(a.rangeEndMillis);
    }
}

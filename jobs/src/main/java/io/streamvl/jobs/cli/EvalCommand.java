package io.streamvl.jobs.cli;

import io.streamvl.jobs.config.ModelBundlePath;
import io.streamvl.kafka.Json;
import io.streamvl.models.llavamini.LlavaMiniModel;
import io.streamvl.models.tsllava.TsLlavaModel;
import io.streamvl.shapes.QuestionType;
import io.streamvl.shapes.train.EvaluationMode;
import io.streamvl.shapes.train.ScoredAnswer;
import io.streamvl.shapes.train.ShapesEvaluation;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `streamvl eval`: a model's accuracy on a shapes-world directory. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Answer every question and caption every video of a shapes-world directory (MP4s decoded",
                "through the ingest path), and print accuracy overall, per question type, and caption exact match.",
                "Only the decoded pixels and the question text reach the model."})
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--videos", required = true, paramLabel = "DIR",
            description = "Directory with video-*.mp4, questions.jsonl and captions.jsonl.")
    Path videos;

    @Option(names = "--bundle", paramLabel = "DIR", description = {"Model bundle, e.g. from `streamvl shapes train` "
            + "(default: streamvl.model.bundle's default, the demo model that ships with streamvl)."})
    Path bundle;

    @Option(names = "--mode", paramLabel = "MODE", converter = ModeConverter.class,
            description = {"llava-mini (default): LLaVA-Mini's video path over 4 frames at 1 fps.",
                    "ts-llava: TS-LLaVA, training-free over the bundle's image path (tower and projector straight "
                            + "into the LLM): from every frame, the manifest's tsLlava settings pick evenly spaced "
                            + "frames, sample their tokens evenly and add a thumbnail tiled from a few of them.",
                    "image: the bundle's image path alone over the video's middle frame (a diagnostic: the image "
                            + "model TS-LLaVA runs on, on its own ground; direction cannot be read from one frame)."})
    EvaluationMode mode = EvaluationMode.LLAVA_MINI;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--answers", paramLabel = "FILE", description = {"Also write every answer and caption, one JSON "
            + "line each: video, kind (question type or caption), question, expected, answer, correct."})
    Path answers;

    @Override
    public Integer call() throws Exception {
        ShapesEvaluation e = evaluate();
        if (json) {
            System.out.println(e.toJson());
            return 0;
        }
        System.out.printf("%s mode: %d videos, %d questions%n", e.mode(), e.videos(), e.questions());
        System.out.printf("overall         %s%n", percent(e.overall()));
        for (QuestionType t : QuestionType.values()) {
            System.out.printf("  %-13s %s (%d)%n", t.label(), percent(e.accuracy(t)), e.asked().get(t));
        }
        System.out.printf("captions exact  %s (%d)%n", percent(e.captionAccuracy()), e.captions());
        return 0;
    }

    private ShapesEvaluation evaluate() throws Exception {
        if (answers == null) {
            return evaluate(ShapesEvaluation.IGNORE);
        }
        try (BufferedWriter out = Files.newBufferedWriter(answers)) {
            return evaluate(answer -> {
                try {
                    out.write(Json.MAPPER.writeValueAsString(answer));
                    out.newLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(answers + ": " + e.getMessage(), e);
                }
            });
        }
    }

    private ShapesEvaluation evaluate(Consumer<ScoredAnswer> log) throws Exception {
        Path bundle = this.bundle != null ? this.bundle : ModelBundlePath.existing(new Configuration());
        if (mode == EvaluationMode.TS_LLAVA || mode == EvaluationMode.IMAGE) {
            try (TsLlavaModel model = TsLlavaModel.open(bundle)) {
                return mode == EvaluationMode.IMAGE ? ShapesEvaluation.runImagePath(model, videos, log)
                        : ShapesEvaluation.run(model, videos, log);
            }
        }
        try (LlavaMiniModel model = LlavaMiniModel.open(bundle)) {
            return ShapesEvaluation.run(model, videos, log);
        }
    }

    private static String percent(double fraction) {
        return Double.isNaN(fraction) ? "-" : String.format("%.1f%%", 100 * fraction);
    }

    static final class ModeConverter implements picocli.CommandLine.ITypeConverter<EvaluationMode> {
        @Override
        public EvaluationMode convert(String value) {
            try {
                return EvaluationMode.fromLabel(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}

package io.streamvl.jobs.cli;

import io.streamvl.models.llavamini.LlavaMiniModel;
import io.streamvl.shapes.QuestionType;
import io.streamvl.shapes.train.ShapesEvaluation;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `streamvl eval`: a model's accuracy on a shapes-world directory. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Answer every question and caption every video of a shapes-world directory (MP4s decoded",
                "through the ingest path, 1 fps), and print accuracy overall, per question type, and caption exact",
                "match. Only the decoded pixels and the question text reach the model."})
final class EvalCommand implements Callable<Integer> {
    enum Mode {
        LLAVA_MINI("llava-mini"), TS_LLAVA("ts-llava");

        private final String label;

        Mode(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    @Option(names = "--videos", required = true, paramLabel = "DIR",
            description = "Directory with video-*.mp4, questions.jsonl and captions.jsonl.")
    Path videos;

    @Option(names = "--bundle", required = true, paramLabel = "DIR",
            description = "Model bundle, e.g. from `streamvl shapes train`. Required: no trained bundle ships yet.")
    Path bundle;

    @Option(names = "--mode", paramLabel = "MODE", converter = ModeConverter.class,
            description = "llava-mini or ts-llava (default ${DEFAULT-VALUE}). ts-llava needs a llava bundle, "
                    + "and the shapes model is llava-mini only, so it is not available yet.")
    Mode mode = Mode.LLAVA_MINI;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (mode == Mode.TS_LLAVA) {
            throw new IllegalArgumentException("--mode ts-llava is not available: the shapes model is a llava-mini "
                    + "bundle and TS-LLaVA needs a llava one");
        }
        ShapesEvaluation e;
        try (LlavaMiniModel model = LlavaMiniModel.open(bundle)) {
            e = ShapesEvaluation.run(model, videos);
        }
        if (json) {
            System.out.println(e.toJson());
            return 0;
        }
        System.out.printf("%d videos, %d questions%n", e.videos(), e.questions());
        System.out.printf("overall         %s%n", percent(e.overall()));
        for (QuestionType t : QuestionType.values()) {
            System.out.printf("  %-13s %s (%d)%n", t.label(), percent(e.accuracy(t)), e.asked().get(t));
        }
        System.out.printf("captions exact  %s (%d)%n", percent(e.captionAccuracy()), e.captions());
        return 0;
    }

    private static String percent(double fraction) {
        return Double.isNaN(fraction) ? "-" : String.format("%.1f%%", 100 * fraction);
    }

    static final class ModeConverter implements picocli.CommandLine.ITypeConverter<Mode> {
        @Override
        public Mode convert(String value) {
            for (Mode m : Mode.values()) {
                if (m.label.equals(value)) {
                    return m;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("expected llava-mini or ts-llava, got '" + value + "'");
        }
    }
}

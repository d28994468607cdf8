package io.streamvl.shapes;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * A shapes-world dataset directory: {@code video-00000.mp4}, ... plus {@code questions.jsonl}
 * (one question per line, videos in order, each video's questions in {@link QuestionGenerator}'s
 * order) and {@code captions.jsonl} (one line per video). Generation is deterministic: the same
 * (videos, seed) writes identical JSONL files and videos that decode to identical frames.
 *
 * @param dir where the files are
 */
public record ShapesDataset(Path dir, List<VideoQuestion> questions, List<VideoCaption> captions) {
    public static final String QUESTIONS_FILE = "questions.jsonl";
    public static final String CAPTIONS_FILE = "captions.jsonl";

    /** Tolerates extra fields, which other generators of the same spec may add. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public ShapesDataset {
        questions = List.copyOf(questions);
        captions = List.copyOf(captions);
    }

    public static ShapesDataset generate(Path outDir, int videos, long seed) throws IOException {
        return generate(outDir, videos, seed, written -> { });
    }

    /**
     * Writes videos 0 .. videos-1 of the dataset with this seed into {@code outDir} (created if
     * missing; same-named files are overwritten, others left alone).
     *
     * @param progress told the number of videos written so far after each one
     */
    public static ShapesDataset generate(Path outDir, int videos, long seed, IntConsumer progress)
            throws IOException {
        if (videos < 0) {
            throw new IllegalArgumentException("number of videos must not be negative: " + videos);
        }
        Files.createDirectories(outDir);
        List<VideoQuestion> questions = new ArrayList<>();
        List<VideoCaption> captions = new ArrayList<>();
        for (int i = 0; i < videos; i++) {
            ShapesVideo video = ShapesWorld.video(seed, i);
            ShapesVideoWriter.write(video.scene(), outDir.resolve(video.name()));
            video.questions().forEach(q -> questions.add(VideoQuestion.of(video.name(), q)));
            captions.add(new VideoCaption(video.name(), video.caption()));
            progress.accept(i + 1);
        }
        writeLines(outDir.resolve(QUESTIONS_FILE), questions);
        writeLines(outDir.resolve(CAPTIONS_FILE), captions);
        return new ShapesDataset(outDir, questions, captions);
    }

    /** Loads the two JSONL files of a dataset directory (ours or another generator's, to the spec). */
    public static ShapesDataset read(Path dir) throws IOException {
        return new ShapesDataset(dir, readLines(dir.resolve(QUESTIONS_FILE), VideoQuestion.class),
                readLines(dir.resolve(CAPTIONS_FILE), VideoCaption.class));
    }

    /** Video file names, in first-mention order over captions then questions. */
    public List<String> videos() {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        captions.forEach(c -> names.add(c.video()));
        questions.forEach(q -> names.add(q.video()));
        return List.copyOf(names);
    }

    public Path videoPath(String video) {
        return dir.resolve(video);
    }

    public List<VideoQuestion> questionsAbout(String video) {
        return questions.stream().filter(q -> q.video().equals(video)).toList();
    }

    private static void writeLines(Path file, List<?> records) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Object r : records) {
                w.write(JSON.writeValueAsString(r));
                w.write('\n');
            }
        }
    }

    private static <T> List<T> readLines(Path file, Class<T> type) throws IOException {
        List<T> out = new ArrayList<>();
        int lineNumber = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            try {
                out.add(JSON.readValue(line, type));
            } catch (IOException | IllegalArgumentException e) {
                throw new IOException(file + ":" + lineNumber + ": not a " + type.getSimpleName() + ": "
                        + e.getMessage(), e);
            }
        }
        return out;
    }
}

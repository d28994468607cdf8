package io.streamvl.shapes;

import java.util.List;

/** One video of a dataset: its file name, what it shows, and what is asked and said about it. */
public record ShapesVideo(String name, Scene scene, List<Question> questions, String caption) {
    public ShapesVideo {
        questions = List.copyOf(questions);
    }
}

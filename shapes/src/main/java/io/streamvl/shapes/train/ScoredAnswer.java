package io.streamvl.shapes.train;

/**
 * One answer of an evaluation, with what was expected and its score: what {@code streamvl eval --answers} writes, one
 * JSON line each (the record's components as fields), so that a model's mistakes can be read and counted, not only
 * its accuracy.
 *
 * @param video the video's file name
 * @param kind a question type's label ({@code color}, …) or {@link #CAPTION}
 * @param question the question, or the caption prompt
 * @param expected the dataset's answer or caption
 * @param answer the model's greedy answer
 * @param correct scored by the spec's rule (a caption: the same clauses in any order)
 */
public record ScoredAnswer(String video, String kind, String question, String expected, String answer,
        boolean correct) {
    public static final String CAPTION = "caption";
}

package io.streamvl.shapes.train;

import io.streamvl.models.text.WordLevelTokenizerWriter;
import io.streamvl.shapes.Direction;
import io.streamvl.shapes.QuestionType;
import io.streamvl.shapes.ShapeColor;
import io.streamvl.shapes.ShapeKind;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Every word the shapes world can ask, answer or caption with, plus the caption prompt: built from the spec's
 * enums rather than from one dataset, whose few videos may miss a colour-shape pair or a direction.
 */
public final class ShapesVocabulary {
    private ShapesVocabulary() {}

    /** Each word once, in a fixed order. */
    public static List<String> words() {
        List<String> texts = new ArrayList<>(List.of(ShapesTraining.CAPTION_PROMPT, "How many objects are there?",
                " and "));
        for (QuestionType type : QuestionType.values()) {
            texts.addAll(type.candidates());
        }
        for (ShapeKind shape : ShapeKind.values()) {
            texts.add("What color is the " + shape.word() + "?");
        }
        for (ShapeColor color : ShapeColor.values()) {
            texts.add("What shape is the " + color.word() + " object?");
            for (ShapeKind shape : ShapeKind.values()) {
                String name = color.word() + " " + shape.word();
                texts.add("Which way does the " + name + " move?");
                texts.add("Is there a " + name + "?");
                for (Direction direction : Direction.values()) {
                    texts.add("a " + name + " " + direction.captionPhrase());
                }
            }
        }
        LinkedHashSet<String> words = new LinkedHashSet<>();
        texts.forEach(text -> words.addAll(WordLevelTokenizerWriter.words(text)));
        return List.copyOf(words);
    }
}

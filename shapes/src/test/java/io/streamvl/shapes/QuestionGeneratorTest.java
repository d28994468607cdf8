package io.streamvl.shapes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class QuestionGeneratorTest {
    private static final Pattern WORDING = Pattern.compile(
            "What color is the (square|circle|triangle)\\?"
                    + "|What shape is the (red|green|blue|yellow) object\\?"
                    + "|How many objects are there\\?"
                    + "|Which way does the (red|green|blue|yellow) (square|circle|triangle) move\\?"
                    + "|Is there a (red|green|blue|yellow) (square|circle|triangle)\\?");

    @Test
    void asksEveryApplicableQuestionInTheExactWording() {
        Scene scene = new Scene(Background.BLACK, 5, 10, List.of(
                object(ShapeKind.SQUARE, ShapeColor.RED, Direction.LEFT),
                object(ShapeKind.SQUARE, ShapeColor.BLUE, Direction.STILL),
                object(ShapeKind.CIRCLE, ShapeColor.RED, Direction.UP)));
        List<Question> questions = QuestionGenerator.generate(scene, new SplittableRandom(1));

        assertThat(questions.subList(0, 9)).containsExactly(
                new Question("What color is the circle?", "red", QuestionType.COLOR),
                new Question("What shape is the blue object?", "square", QuestionType.SHAPE),
                new Question("How many objects are there?", "three", QuestionType.COUNT),
                new Question("Which way does the red square move?", "left", QuestionType.DIRECTION),
                new Question("Which way does the blue square move?", "it does not move", QuestionType.DIRECTION),
                new Question("Which way does the red circle move?", "up", QuestionType.DIRECTION),
                new Question("Is there a red square?", "yes", QuestionType.PRESENCE),
                new Question("Is there a blue square?", "yes", QuestionType.PRESENCE),
                new Question("Is there a red circle?", "yes", QuestionType.PRESENCE));
        List<Question> negatives = questions.subList(9, questions.size());
        assertThat(negatives).hasSize(3).doesNotHaveDuplicates().allSatisfy(q -> {
            assertThat(q.question()).matches(WORDING)
                    .isNotIn("Is there a red square?", "Is there a blue square?", "Is there a red circle?");
            assertThat(q.answer()).isEqualTo("no");
            assertThat(q.type()).isEqualTo(QuestionType.PRESENCE);
        });
    }

    @Test
    void oneObjectGetsOneOfEach() {
        Scene scene = new Scene(Background.WHITE, 4, 10, List.of(object(ShapeKind.TRIANGLE, ShapeColor.YELLOW,
                Direction.DOWN)));
        List<Question> questions = QuestionGenerator.generate(scene, new SplittableRandom(3));
        assertThat(questions).extracting(Question::question).startsWith("What color is the triangle?",
                "What shape is the yellow object?", "How many objects are there?",
                "Which way does the yellow triangle move?", "Is there a yellow triangle?");
        assertThat(questions).extracting(Question::answer).startsWith("yellow", "triangle", "one", "down", "yes");
        assertThat(questions).hasSize(6);
    }

    @Test
    void followsTheUniquenessRulesOverManyScenes() {
        for (int i = 0; i < 2000; i++) {
            ShapesVideo video = ShapesWorld.video(77, i);
            Scene scene = video.scene();
            List<Question> questions = video.questions();
            int n = scene.objects().size();
            for (Question q : questions) {
                assertThat(q.question()).matches(WORDING);
            }
            for (ShapeKind shape : ShapeKind.values()) {
                String text = "What color is the " + shape.word() + "?";
                long asked = questions.stream().filter(q -> q.question().equals(text)).count();
                assertThat(asked).isEqualTo(scene.countShape(shape) == 1 ? 1 : 0);
            }
            for (ShapeColor color : ShapeColor.values()) {
                String text = "What shape is the " + color.word() + " object?";
                long asked = questions.stream().filter(q -> q.question().equals(text)).count();
                assertThat(asked).isEqualTo(scene.countColor(color) == 1 ? 1 : 0);
            }
            List<Question> presence = questions.stream().filter(q -> q.type() == QuestionType.PRESENCE).toList();
            assertThat(presence).hasSize(2 * n).extracting(Question::question).doesNotHaveDuplicates();
            for (Question q : presence) {
                String[] words = q.question().substring("Is there a ".length(), q.question().length() - 1).split(" ");
                boolean present = scene.contains(ShapeColor.valueOf(words[0].toUpperCase()),
                        ShapeKind.valueOf(words[1].toUpperCase()));
                assertThat(q.answer()).isEqualTo(present ? "yes" : "no");
            }
            assertThat(questions.stream().filter(q -> q.type() == QuestionType.DIRECTION)).hasSize(n);
            assertThat(questions.size()).isBetween(n == 1 ? 6 : n == 2 ? 9 : 12, 1 + 5 * n);
        }
    }

    private static SceneObject object(ShapeKind shape, ShapeColor color, Direction direction) {
        return new SceneObject(shape, color, 30, 0, 0, direction, direction == Direction.STILL ? 0 : 3);
    }
}

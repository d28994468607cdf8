package io.streamvl.shapes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CaptionWriterTest {
    @Test
    void joinsOneClausePerObjectByColourThenShape() {
        Scene scene = new Scene(Background.GRAY, 6, 10, List.of(
                new SceneObject(ShapeKind.CIRCLE, ShapeColor.GREEN, 40, 0, 0, Direction.DOWN, 2),
                new SceneObject(ShapeKind.SQUARE, ShapeColor.YELLOW, 40, 100, 0, Direction.STILL, 0),
                new SceneObject(ShapeKind.TRIANGLE, ShapeColor.RED, 40, 200, 0, Direction.LEFT, 3)));
        assertThat(CaptionWriter.caption(scene)).isEqualTo(
                "a red triangle moves left and a green circle moves down and a yellow square stays still");
    }

    @Test
    void singleObjectHasOneClause() {
        Scene scene = new Scene(Background.BLACK, 4, 10, List.of(
                new SceneObject(ShapeKind.SQUARE, ShapeColor.BLUE, 40, 0, 0, Direction.UP, 4)));
        assertThat(CaptionWriter.caption(scene)).isEqualTo("a blue square moves up");
    }

    @Test
    void sampledCaptionsNameEveryObject() {
        for (int i = 0; i < 500; i++) {
            ShapesVideo video = ShapesWorld.video(3, i);
            List<String> clauses = List.of(video.caption().split(" and "));
            assertThat(clauses).containsExactlyInAnyOrderElementsOf(video.scene().objects().stream()
                    .map(o -> "a " + o.name() + " " + o.direction().captionPhrase()).toList());
        }
    }

    @Test
    void sameClausesIgnoresOrderButNotContent() {
        String expected = "a red triangle moves left and a green circle moves down";
        assertThat(CaptionWriter.sameClauses(expected, "A green circle moves down and a red triangle moves left "))
                .isTrue();
        assertThat(CaptionWriter.sameClauses(expected, "a green circle moves down")).isFalse();
        assertThat(CaptionWriter.sameClauses(expected, "a red triangle moves right and a green circle moves down"))
                .isFalse();
        assertThat(CaptionWriter.sameClauses(expected, expected + " and a green circle moves down")).isFalse();
    }
}

package io.streamvl.shapes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CaptionWriterTest {
    @Test
    void joinsOneClausePerObjectInSceneOrder() {
        Scene scene = new Scene(Background.GRAY, 6, 10, List.of(
                new SceneObject(ShapeKind.CIRCLE, ShapeColor.GREEN, 40, 0, 0, Direction.DOWN, 2),
                new SceneObject(ShapeKind.SQUARE, ShapeColor.YELLOW, 40, 100, 0, Direction.STILL, 0),
                new SceneObject(ShapeKind.TRIANGLE, ShapeColor.RED, 40, 200, 0, Direction.LEFT, 3)));
        assertThat(CaptionWriter.caption(scene)).isEqualTo(
                "a green circle moves down and a yellow square stays still and a red triangle moves left");
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
            String[] clauses = video.caption().split(" and ");
            assertThat(clauses).hasSameSizeAs(video.scene().objects().toArray());
            for (int j = 0; j < clauses.length; j++) {
                SceneObject o = video.scene().objects().get(j);
                assertThat(clauses[j]).isEqualTo("a " + o.name() + " " + o.direction().captionPhrase());
            }
        }
    }
}

package io.streamvl.shapes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SceneSamplerTest {
    private static final List<Scene> SCENES = IntStream.range(0, 3000)
            .mapToObj(i -> ShapesWorld.video(2024, i).scene()).toList();

    @Test
    void scenesStayWithinTheSpec() {
        for (Scene scene : SCENES) {
            assertThat(scene.fps()).isEqualTo(10);
            assertThat(scene.durationSeconds()).isBetween(4, 8);
            assertThat(scene.objects()).hasSizeBetween(1, 3);
            assertThat(scene.objects().stream().map(SceneObject::name).distinct()).hasSameSizeAs(scene.objects());
            for (SceneObject o : scene.objects()) {
                assertThat(o.size()).isBetween(30, 60);
            }
        }
    }

    @Test
    void everyChoiceOccurs() {
        Set<Integer> durations = new HashSet<>();
        Set<Integer> counts = new HashSet<>();
        Set<Integer> sizes = new HashSet<>();
        Set<Background> backgrounds = EnumSet.noneOf(Background.class);
        Set<Direction> directions = EnumSet.noneOf(Direction.class);
        Set<String> pairs = new HashSet<>();
        for (Scene scene : SCENES) {
            durations.add(scene.durationSeconds());
            counts.add(scene.objects().size());
            backgrounds.add(scene.background());
            for (SceneObject o : scene.objects()) {
                sizes.add(o.size());
                directions.add(o.direction());
                pairs.add(o.name());
            }
        }
        assertThat(durations).containsExactlyInAnyOrder(4, 5, 6, 7, 8);
        assertThat(counts).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(sizes).hasSize(31);
        assertThat(backgrounds).containsExactlyInAnyOrder(Background.values());
        assertThat(directions).containsExactlyInAnyOrder(Direction.values());
        assertThat(pairs).hasSize(12);
    }

    @Test
    void movingObjectsCoverHalfTheFrameAndStillOnesStay() {
        for (Scene scene : SCENES) {
            int last = scene.frameCount() - 1;
            for (SceneObject o : scene.objects()) {
                Box first = o.boxAt(0);
                Box end = o.boxAt(last);
                int dx = end.left() - first.left();
                int dy = end.top() - first.top();
                switch (o.direction()) {
                    case LEFT -> assertThat(-dx).isGreaterThanOrEqualTo(160);
                    case RIGHT -> assertThat(dx).isGreaterThanOrEqualTo(160);
                    case UP -> assertThat(-dy).isGreaterThanOrEqualTo(120);
                    case DOWN -> assertThat(dy).isGreaterThanOrEqualTo(120);
                    case STILL -> assertThat(o.speed()).isZero();
                }
                assertThat(o.direction().isHorizontal() ? dy : dx).isZero();
            }
        }
    }

    @Test
    void motionIsMonotonicAndEvenlyPaced() {
        for (Scene scene : SCENES.subList(0, 300)) {
            for (SceneObject o : scene.objects()) {
                for (int k = 1; k < scene.frameCount(); k++) {
                    int step = o.distanceAt(k) - o.distanceAt(k - 1);
                    assertThat(Math.abs(step - o.speed())).isLessThanOrEqualTo(1.0);
                }
            }
        }
    }

    @Test
    void everyObjectIsFullyInsideEveryFrame() {
        for (Scene scene : SCENES) {
            for (SceneObject o : scene.objects()) {
                for (int k = 0; k < scene.frameCount(); k++) {
                    assertThat(o.boxAt(k).isInside(320, 240)).as("%s in frame %d", o, k).isTrue();
                }
            }
        }
    }

    @Test
    void objectsOverlapOnlyBriefly() {
        for (Scene scene : SCENES) {
            List<SceneObject> objects = scene.objects();
            for (int i = 0; i < objects.size(); i++) {
                for (int j = i + 1; j < objects.size(); j++) {
                    SceneObject a = objects.get(i);
                    SceneObject b = objects.get(j);
                    assertThat(a.boxAt(0).intersects(b.boxAt(0))).isFalse();
                    long overlapping = IntStream.range(0, scene.frameCount())
                            .filter(k -> a.boxAt(k).intersects(b.boxAt(k))).count();
                    assertThat(overlapping * 4).isLessThanOrEqualTo(scene.frameCount());
                }
            }
        }
    }

    @Test
    void samplingIsAFunctionOfTheRandomState() {
        assertThat(SceneSampler.sample(new SplittableRandom(5))).isEqualTo(SceneSampler.sample(new SplittableRandom(5)));
        assertThat(ShapesWorld.video(1, 0).scene()).isNotEqualTo(ShapesWorld.video(2, 0).scene());
        assertThat(SCENES.stream().distinct()).hasSameSizeAs(SCENES);
    }
}

package io.streamvl.operators.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoUriPolicyTest {
    @TempDir
    Path dir;

    @Test
    void acceptsHttpFileUrisAndAbsolutePaths() {
        VideoUriPolicy any = VideoUriPolicy.anyLocalPath();
        assertThat(any.problem("https://example.org/a.mp4")).isNull();
        assertThat(any.problem("HTTP://user:pw@10.0.0.1:8080/a.mp4?x=1")).isNull();
        assertThat(any.problem("file:///data/a.mp4")).isNull();
        assertThat(any.problem("/data/a:b.mp4")).isNull();
    }

    @Test
    void refusesEveryOtherProtocolAndRelativePaths() {
        VideoUriPolicy any = VideoUriPolicy.anyLocalPath();
        for (String uri : new String[] {"concat:/a.mp4|/b.mp4", "subfile,,0,10,:/etc/passwd", "pipe:0",
                "data:video/mp4;base64,AAAA", "tcp://host:1", "rtmp://host/live", "crypto:/a", "a.mp4",
                "../a.mp4", "http:///nohost", "", " "}) {
            assertThat(any.problem(uri)).as(uri).isNotNull();
        }
        assertThat(any.problem("gopher://x/")).contains("gopher");
    }

    @Test
    void confinesLocalFilesToTheRootFollowingLinksAndDots() throws Exception {
        Path root = Files.createDirectories(dir.resolve("videos"));
        Path inside = Files.writeString(root.resolve("a.mp4"), "x");
        Path outside = Files.writeString(dir.resolve("secret.mp4"), "x");
        Path link = Files.createSymbolicLink(root.resolve("link.mp4"), outside);
        VideoUriPolicy policy = VideoUriPolicy.localFilesUnder(root);

        assertThat(policy.problem(inside.toString())).isNull();
        assertThat(policy.problem(inside.toUri().toString())).isNull();
        assertThat(policy.problem(root.resolve("not-yet.mp4").toString())).isNull();
        assertThat(policy.problem(outside.toString())).contains("outside");
        assertThat(policy.problem(root + "/../secret.mp4")).contains("outside");
        assertThat(policy.problem(link.toString())).contains("outside");
        assertThat(policy.problem(outside.toUri().toString())).contains("outside");
        assertThat(policy.problem("https://example.org/a.mp4")).isNull();
    }
}

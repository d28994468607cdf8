package io.streamvl.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Containers that name further inputs (HLS playlists, ffconcat scripts) open nothing outside their own input's
 * protocol family: a segment from Kafka cannot make the job read local files, a local file cannot make it fetch a
 * URL. FFmpeg resolves a script's relative names against the working directory when the script came as bytes, so
 * the target video is copied under it.
 */
class NestedInputTest {
    private Path local;
    private String relative;

    @BeforeEach
    void copyVideoUnderWorkingDirectory() throws Exception {
        Path target = Files.createDirectories(Path.of("target"));
        local = Files.createTempDirectory(target, "nested").resolve("clip.avi");
        Files.copy(RealMedia.file("vtest.avi"), local);
        relative = Path.of("").toAbsolutePath().relativize(local.toAbsolutePath()).toString();
    }

    @AfterEach
    void removeCopy() throws Exception {
        Files.deleteIfExists(local);
        Files.deleteIfExists(local.getParent());
    }

    private static FrameExtractorTest.Collector decode(VideoInput in) throws VideoDecodeException {
        FrameExtractorTest.Collector c = new FrameExtractorTest.Collector();
        try (FrameExtractor x = new FrameExtractor(DecoderOptions.defaults(), ModelInputSpec.clipDefaults())) {
            x.extract(in, "cam", 0, 0, new FrameSampler(1), c);
        }
        return c;
    }

    @Test
    void theScriptsTargetDecodesWhenOpenedDirectly() throws Exception {
        assertThat(decode(VideoInput.ofUri(relative)).sampled).hasSize(80);
    }

    @Test
    void anFfconcatSegmentCannotOpenALocalFile() {
        byte[] script = ("ffconcat version 1.0\nfile " + relative + "\n").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> decode(VideoInput.ofBytes(script, null))).isInstanceOf(VideoDecodeException.class);
    }

    @Test
    void anHlsSegmentCannotOpenALocalFile() {
        byte[] playlist = ("#EXTM3U\n#EXT-X-TARGETDURATION:80\n#EXTINF:79.5,\n" + relative + "\n#EXT-X-ENDLIST\n")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> decode(VideoInput.ofBytes(playlist, "hls")))
                .isInstanceOf(VideoDecodeException.class);
    }

    @Test
    void aLocalPlaylistCannotFetchAUrl() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = Files.readAllBytes(local);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/clip.avi";
            Path playlist = local.resolveSibling("local.m3u8");
            Files.writeString(playlist, "#EXTM3U\n#EXT-X-TARGETDURATION:80\n#EXTINF:79.5,\n" + url
                    + "\n#EXT-X-ENDLIST\n");
            try {
                assertThatThrownBy(() -> decode(VideoInput.ofUri(playlist.toAbsolutePath().toString())))
                        .isInstanceOf(VideoDecodeException.class);
                assertThat(requests).as("requests the playlist made").hasValue(0);
                assertThat(decode(VideoInput.ofUri(url)).sampled).as("the URL itself is open to http inputs")
                        .hasSize(80);
            } finally {
                Files.delete(playlist);
            }
        } finally {
            server.stop(0);
        }
    }
}

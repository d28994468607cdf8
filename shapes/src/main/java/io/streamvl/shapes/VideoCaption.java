package io.streamvl.shapes;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/** One line of captions.jsonl. */
@JsonPropertyOrder({"video", "caption"})
public record VideoCaption(String video, String caption) {
    public VideoCaption {
        Objects.requireNonNull(video, "video");
        Objects.requireNonNull(caption, "caption");
    }
}

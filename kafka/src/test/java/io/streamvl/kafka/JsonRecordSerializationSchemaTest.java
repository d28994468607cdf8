package io.streamvl.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class JsonRecordSerializationSchemaTest {
    @Test
    void dlqRecordGoesToTheDlqTopicKeyedByTheOriginalKey() throws Exception {
        Segment s = new Segment("cam-9", 4, 100, "mpegts", new byte[] {1, 2});
        s.sourceTopic = "streamvl.segments";
        s.sourceOffset = 12;
        DlqRecord dlq = DlqRecord.of(DlqReason.CORRUPT_SEGMENT, "no video stream", "cam-9", s.data).from(s);

        ProducerRecord<byte[], byte[]> r = JsonRecordSerializationSchema.dlq("streamvl.dlq").serialize(dlq, null, 55L);

        assertThat(r.topic()).isEqualTo("streamvl.dlq");
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("cam-9");
        assertThat(r.timestamp()).as("stamped when sent, not with the input's event time").isNull();
        JsonNode json = Json.MAPPER.readTree(r.value());
        assertThat(json.get("schema").asInt()).isEqualTo(DlqRecord.SCHEMA);
        assertThat(json.get("reason").asText()).isEqualTo("corrupt-segment");
        assertThat(json.get("sequence").asLong()).isEqualTo(4);
        assertThat(json.get("sourceOffset").asLong()).isEqualTo(12);
        assertThat(json.get("payloadPrefixBase64").asText()).isEqualTo("AQI=");
        assertThat(Json.read(r.value(), DlqRecord.class).key).isEqualTo("cam-9");
    }

    @Test
    void ingestStatusCarriesSchemaAndTypeAndNullKeyIsAllowed() throws Exception {
        IngestStatus status = new IngestStatus();
        status.streamId = "cam-1";
        status.framesDecoded = 20;

        JsonRecordSerializationSchema<IngestStatus> byStream =
                new JsonRecordSerializationSchema<>("streamvl.events", st -> st.streamId);
        JsonNode json = Json.MAPPER.readTree(byStream.serialize(status, null, null).value());
        assertThat(json.get("schema").asInt()).isEqualTo(IngestStatus.SCHEMA);
        assertThat(json.get("type").asText()).isEqualTo("ingest-status");
        assertThat(json.get("framesDecoded").asLong()).isEqualTo(20);
        assertThat(json.has("newestFrameMillis")).isFalse();

        ProducerRecord<byte[], byte[]> unkeyed =
                new JsonRecordSerializationSchema<IngestStatus>("t", st -> null).serialize(status, null, null);
        assertThat(unkeyed.key()).isNull();
    }
}

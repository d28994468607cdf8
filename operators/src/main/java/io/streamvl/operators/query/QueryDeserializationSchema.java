package io.streamvl.operators.query;

import io.streamvl.kafka.AnswerStatus;
import io.streamvl.kafka.Answer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the queries topic through {@link QueryParser}. Never throws and never drops: every record comes out
 * as a {@link ParsedQuery}, a bad one carrying the error answer its client will get.
 */
public class QueryDeserializationSchema implements KafkaRecordDeserializationSchema<ParsedQuery> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(QueryDeserializationSchema.class);

    private final QueryParser parser;

    public QueryDeserializationSchema(QuerySettings settings) {
        this.parser = new QueryParser(settings);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedQuery> out) {
        out.collect(parse(record));
    }

    ParsedQuery parse(ConsumerRecord<byte[], byte[]> record) {
        try {
            return parser.parse(record.key(), record.value(), record.topic(), record.partition(), record.offset(),
                    record.timestamp());
        } catch (RuntimeException e) {
            // the parser answers every bad input itself; this is a bug, and still must not stop the job
            LOG.error("query parser failed on {}/{}/{}", record.topic(), record.partition(), record.offset(), e);
            Answer a = Answer.error(null, AnswerStatus.MALFORMED_QUERY, "cannot read this query: " + e);
            a.queryId = QueryParser.recordId(record.topic(), record.partition(), record.offset());
            return ParsedQuery.rejected(a);
        }
    }

    @Override
    public TypeInformation<ParsedQuery> getProducedType() {
        return TypeInformation.of(ParsedQuery.class);
    }
}

package io.streamvl.operators.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.operators.caption.LastAnswer;
import io.streamvl.operators.caption.PromptWindow;
import io.streamvl.operators.caption.StandingQuestion;
import io.streamvl.operators.vision.EncodedFrameRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The model operators' records and state travel and are stored with Flink's POJO serializer, not Kryo. */
class RecordTypesTest {

    @ParameterizedTest
    @ValueSource(classes = {GenerationTask.class, EncodedFrameRecord.class, StandingQuestion.class, PromptWindow.class,
            LastAnswer.class})
    void isAFlinkPojo(Class<?> type) {
        assertThat(TypeInformation.of(type)).isInstanceOf(PojoTypeInfo.class);
    }
}

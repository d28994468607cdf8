package io.streamvl.operators.caption;

/** A standing question's answer in the last window it was asked of a stream. A Flink POJO. */
public class LastAnswer {
    /** The question as worded then: a reworded question starts afresh. */
    public String question;
    public String answer;

    public LastAnswer() {}

    public LastAnswer(String question, String answer) {
        this.question = question;
        this.answer = answer;
    }
}

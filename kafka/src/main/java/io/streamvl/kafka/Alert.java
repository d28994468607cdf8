package io.streamvl.kafka;

/**
 * A standing question's answer for one window, emitted when it changed or matched the trigger (alerts topic,
 * key: stream id).
 */
public class Alert {
    public static final int SCHEMA = 1;

    public int schema = SCHEMA;
    public String questionId;
    public String streamId;
    public String question;
    public String answer;
    /** The previous window's answer, absent for the first. */
    public String previousAnswer;
    /** True when the answer contains the question's trigger word. */
    public boolean triggered;
    public long windowStartMillis;
    public long windowEndMillis;
    public String mode;
    public String model;
    public int frames;

    public Alert() {}
}

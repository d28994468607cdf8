package io.streamvl.models;

/**
 * A model bundle or checkpoint that cannot be used as it is: a missing or misshapen tensor, a
 * corrupt header, an unknown architecture, an input the model cannot take. The message names the
 * culprit (file, tensor, key) so the user can fix the bundle.
 */
public class ModelFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}

package com.novotechno.collections.log;

import java.io.IOException;

/** The log is damaged somewhere other than a torn last line: no automatic repair is safe. */
public final class LogCorruptionException extends IOException {

    private static final long serialVersionUID = 1L;

    public LogCorruptionException(String message) {
        super(message);
    }
}

package dev.arcx.testkit.fuzz;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records every ERROR (or worse) logged in this JVM while open: a service under test runs in the test's JVM, so what
 * it logs at ERROR is seen here. For tests that a request, however hostile, leaves the error log alone.
 */
public final class ErrorLog implements AutoCloseable {
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                String message = record.getMessage();
                Object[] parameters = record.getParameters();
                if (message != null && parameters != null && parameters.length > 0) {
                    try {
                        message = String.format(message.replace("{0}", "%s"), parameters);
                    } catch (RuntimeException unformatted) {
                        // The raw message says enough.
                    }
                }
                errors.add(record.getLoggerName() + ": " + message
                        + (record.getThrown() == null ? "" : " (" + record.getThrown() + ")"));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private ErrorLog() {
    }

    public static ErrorLog open() {
        ErrorLog log = new ErrorLog();
        Logger.getLogger("").addHandler(log.handler);
        return log;
    }

    /** How many errors were logged so far. */
    public int count() {
        return errors.size();
    }

    /** The errors logged from the {@code from}-th on. */
    public List<String> since(int from) {
        return List.copyOf(errors.subList(Math.min(from, errors.size()), errors.size()));
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(handler);
    }
}

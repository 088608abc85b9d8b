package io.listenlog.jdbc.internal;

import org.jspecify.annotations.Nullable;

import java.sql.SQLException;

/** What one retention run did so far, kept when it fails midway for the message. */
public final class RetentionRun {
    public int daysRolledUp;
    public long eventsDeleted;

    /** {@code first} with {@code next} added as suppressed, or {@code next} when there is no first. */
    public static SQLException joined(@Nullable SQLException first, SQLException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}

package com.novotechno.collections.camel;

import com.novotechno.collections.config.Settings;
import java.time.Duration;

/**
 * How long the retention route keeps what piles up (CONTRACT section 6): files in processed/, rejected/
 * and alerts/, and dead letters. {@link Duration#ZERO} keeps them forever.
 */
public record RetentionSettings(Duration processed, Duration rejected, Duration alerts, Duration deadLetters) {

    /** A bad value names its key: checked at start (ServiceSettings), not at the first hourly run. */
    public static RetentionSettings of(Settings settings) {
        return new RetentionSettings(settings.durationValue(Settings.RETENTION_PROCESSED),
                settings.durationValue(Settings.RETENTION_REJECTED), settings.durationValue(Settings.RETENTION_ALERTS),
                settings.durationValue(Settings.RETENTION_DLQ));
    }

    static boolean forever(Duration retention) {
        return retention.isZero();
    }
}

package com.novotechno.collections.ledger;

import com.novotechno.collections.storage.Keying;
import com.novotechno.collections.storage.MacKey;
import com.novotechno.collections.storage.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;

/**
 * A closed period's file ends, once keyed, with one comment line holding the HMAC-SHA-256 (under the
 * folder's key) of the SHA-256 of every byte above it: its checksum comments prove it whole, this line
 * proves it the service's. The line is outside what the checksums and the parser read.
 */
public final class PeriodFileMac {

    private static final String PREFIX = "<!-- mac: ";
    private static final String SUFFIX = " (HMAC-SHA-256, under the service's key, of the SHA-256 of all lines above) -->\n";

    private PeriodFileMac() {
    }

    /** The file's bytes: the rendering, and its MAC line when keyed. */
    public static byte[] seal(byte[] rendered, Keying keying) {
        if (keying.key().isEmpty()) {
            return rendered;
        }
        String mac = keying.key().get().mac(MacKey.Purpose.PERIOD_LEDGER, Sha256.hex(rendered));
        byte[] line = (PREFIX + mac + SUFFIX).getBytes(StandardCharsets.US_ASCII);
        byte[] sealed = Arrays.copyOf(rendered, rendered.length + line.length);
        System.arraycopy(line, 0, sealed, rendered.length, line.length);
        return sealed;
    }

    /** A file split into what was rendered and its MAC, if its last line is one. */
    public record Unsealed(byte[] rendered, Optional<String> mac) {
    }

    public static Unsealed unseal(byte[] file) {
        int start = file.length - 1;
        while (start > 0 && file[start - 1] != '\n') {
            start--;
        }
        String last = new String(file, Math.max(start, 0), file.length - Math.max(start, 0), StandardCharsets.US_ASCII);
        if (start <= 0 || !last.startsWith(PREFIX) || !last.endsWith(SUFFIX)) {
            return new Unsealed(file, Optional.empty());
        }
        return new Unsealed(Arrays.copyOf(file, start), Optional.of(last.substring(PREFIX.length(), last.length() - SUFFIX.length())));
    }

    /**
     * Why the file's MAC does not vouch for it, or null. A period that ended after the key was made had its
     * file written under the key (a file is written once its period has ended), so it must carry one; an
     * older one may not (it may have been written before the key), but a MAC it carries must hold.
     */
    public static String problem(byte[] file, YearMonth period, Keying keying) {
        if (keying.key().isEmpty()) {
            return null;
        }
        Unsealed unsealed = unseal(file);
        // A day's margin: the period's last instant in any time zone is after the key.
        boolean endedAfterKey = period.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).minusDays(1).toInstant()
                .isAfter(keying.keyedAt());
        if (unsealed.mac().isEmpty()) {
            return endedAfterKey ? "it carries no MAC, though its period ended after the key was made (resealed"
                    + " or forged by someone without the key)" : null;
        }
        return keying.key().get().problem(MacKey.Purpose.PERIOD_LEDGER, Sha256.hex(unsealed.rendered()),
                unsealed.mac().get());
    }
}

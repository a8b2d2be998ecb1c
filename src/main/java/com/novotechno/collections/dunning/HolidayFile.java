package com.novotechno.collections.dunning;

import com.novotechno.collections.config.Settings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code collections.dunning.holidays}: one ISO date a line, blank lines and {@code #} comments
 * ignored. Read once at start; every fault names the file and, for a bad line, its number.
 */
public final class HolidayFile {

    /** About 40 years of a country's public holidays; a larger list is the wrong file. */
    public static final int MAX_DATES = 1000;
    /** Checked before reading, so a wrong path (a log, a device) is refused without filling memory. */
    public static final int MAX_BYTES = 64 * 1024;

    private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private HolidayFile() {
    }

    public static Set<LocalDate> read(Path file) {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw fault(file + " is larger than " + MAX_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw fault("cannot read " + file + ": " + e);
        }
        if (bytes.length > MAX_BYTES) {
            throw fault(file + " is larger than " + MAX_BYTES + " bytes");
        }
        return parse(decode(file, bytes), file.toString());
    }

    static Set<LocalDate> parse(String text, String fileName) {
        Set<LocalDate> dates = new HashSet<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int comment = lines[i].indexOf('#');
            String date = (comment < 0 ? lines[i] : lines[i].substring(0, comment)).strip();
            if (date.isEmpty()) {
                continue;
            }
            String where = fileName + ":" + (i + 1) + ": ";
            if (dates.size() == MAX_DATES) {
                throw fault(where + "more than " + MAX_DATES + " dates");
            }
            dates.add(isoDate(date, where));
        }
        return Set.copyOf(dates);
    }

    private static LocalDate isoDate(String text, String where) {
        if (ISO_DATE.matcher(text).matches()) {
            try {
                return LocalDate.parse(text);
            } catch (DateTimeParseException e) {
                // reported below, the same as text that is no date at all
            }
        }
        String shown = text.length() <= 40 ? text : text.substring(0, 40) + "...";
        throw fault(where + "'" + shown + "' is not an ISO date (yyyy-mm-dd)");
    }

    private static String decode(Path file, byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw fault(file + " is not UTF-8 text");
        }
    }

    private static IllegalArgumentException fault(String what) {
        return new IllegalArgumentException(Settings.DUNNING_HOLIDAYS + ": " + what);
    }
}

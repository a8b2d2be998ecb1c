package com.novotechno.collections.dunning;

import com.novotechno.collections.config.Settings;
import com.novotechno.collections.domain.Limits;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The levels of {@code collections.dunning.schedule} ({@code 7:reminder,14:final_notice,30:escalate}):
 * unique names, days strictly increasing, the last one escalating whatever its name. Checked whole
 * at start, so a typo stops the service instead of reminding customers on the wrong day.
 */
public final class DunningSchedule {

    /** Real ladders have two to five rungs; more would be a mistake in the value, not a wish. */
    public static final int MAX_LEVELS = 10;
    /** Ten years past due: beyond it an invoice is long written off, so a larger value is a typo. */
    public static final int MAX_DAYS = 3650;

    private static final Pattern PART = Pattern.compile("(\\d{1,6}):([^:]*)");
    private static final Pattern NAME = Pattern.compile("[a-z_]{1," + Limits.MAX_LEVEL_CHARS + "}");
    private static final int MAX_TEXT_CHARS = MAX_LEVELS * (4 + 1 + Limits.MAX_LEVEL_CHARS + 2);

    private final List<DunningLevel> levels;

    private DunningSchedule(List<DunningLevel> levels) {
        this.levels = List.copyOf(levels);
    }

    /** The schedule, or an IllegalArgumentException whose message names the key and the fault. */
    public static DunningSchedule parse(String text) {
        if (text.length() > MAX_TEXT_CHARS) {
            throw fault("is longer than " + MAX_TEXT_CHARS + " characters");
        }
        if (text.isBlank()) {
            throw fault("must name at least one level, like 7:reminder,14:final_notice,30:escalate");
        }
        String[] parts = text.split(",", -1);
        if (parts.length > MAX_LEVELS) {
            throw fault("has " + parts.length + " levels, at most " + MAX_LEVELS);
        }
        List<DunningLevel> levels = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].strip();
            int position = i + 1;
            if (part.isEmpty()) {
                throw fault("part " + position + " is empty");
            }
            Matcher matcher = PART.matcher(part);
            if (!matcher.matches()) {
                throw fault("part " + position + " '" + part + "' is not DAYS:LEVEL, like 7:reminder");
            }
            int days = Integer.parseInt(matcher.group(1));
            String name = matcher.group(2).strip();
            if (days > MAX_DAYS) {
                throw fault("part " + position + " '" + part + "' has more than " + MAX_DAYS + " days");
            }
            if (!NAME.matcher(name).matches()) {
                throw fault("level '" + name + "' must be 1 to " + Limits.MAX_LEVEL_CHARS + " of a-z and _");
            }
            if (!names.add(name)) {
                throw fault("level '" + name + "' is named twice");
            }
            if (!levels.isEmpty() && days <= levels.get(levels.size() - 1).days()) {
                DunningLevel before = levels.get(levels.size() - 1);
                throw fault("days must increase: '" + name + "' at " + days + " is not after '"
                        + before.name() + "' at " + before.days());
            }
            levels.add(new DunningLevel(name, days, position, position == parts.length));
        }
        return new DunningSchedule(levels);
    }

    private static IllegalArgumentException fault(String what) {
        return new IllegalArgumentException(Settings.DUNNING_SCHEDULE + " " + what);
    }

    /** In order, at least one; the last escalates. */
    public List<DunningLevel> levels() {
        return levels;
    }

    public DunningLevel last() {
        return levels.get(levels.size() - 1);
    }

    /** The level at a 1-based position, which must exist. */
    public DunningLevel at(int position) {
        return levels.get(position - 1);
    }

    public Optional<DunningLevel> find(String name) {
        return levels.stream().filter(level -> level.name().equals(name)).findFirst();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DunningSchedule schedule && schedule.levels.equals(levels);
    }

    @Override
    public int hashCode() {
        return levels.hashCode();
    }

    /** The canonical text, which parses back to an equal schedule. */
    @Override
    public String toString() {
        return levels.stream().map(DunningLevel::toString).collect(Collectors.joining(","));
    }
}

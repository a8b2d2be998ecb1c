package com.novotechno.collections.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The help's prose, wrapped at spaces only: picocli's own wrapping also breaks after a dot, which
 * splits names like rebuild.inprogress or events.log across lines.
 */
final class HelpText {

    /** Where an exit code's text starts, and where its continued lines do. */
    private static final String EXIT_CODE_INDENT = "      ";

    private HelpText() {
    }

    /** Renders every command's description and exit codes with {@link #wrap}. */
    static void install(CommandLine command, int width) {
        Map<String, CommandLine.IHelpSectionRenderer> sections = command.getHelpSectionMap();
        sections.put(UsageMessageSpec.SECTION_KEY_DESCRIPTION, help -> help.descriptionHeading()
                + paragraphs(help.commandSpec().usageMessage().description(), width));
        sections.put(UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST, help -> exitCodes(help.commandSpec().usageMessage()
                .exitCodeList(), width));
        command.getSubcommands().values().forEach(sub -> install(sub, width));
    }

    private static String paragraphs(String[] description, int width) {
        List<String> lines = new ArrayList<>();
        for (String paragraph : description) {
            wrap(paragraph, "", width, lines);
        }
        return joined(lines);
    }

    private static String exitCodes(Map<String, String> codes, int width) {
        List<String> lines = new ArrayList<>();
        codes.forEach((code, meaning) -> {
            List<String> wrapped = new ArrayList<>();
            wrap(meaning, EXIT_CODE_INDENT, width, wrapped);
            String first = "  " + code.strip();
            wrapped.set(0, first + " ".repeat(Math.max(1, EXIT_CODE_INDENT.length() - first.length()))
                    + wrapped.get(0).substring(EXIT_CODE_INDENT.length()));
            lines.addAll(wrapped);
        });
        return joined(lines);
    }

    static String joined(List<String> lines) {
        return lines.isEmpty() ? "" : String.join(System.lineSeparator(), lines) + System.lineSeparator();
    }

    /** Greedy word wrap at spaces; a word longer than the line (a URL) stands alone on its line. */
    static void wrap(String text, String indent, int width, List<String> lines) {
        if (text.isBlank()) {
            return;
        }
        StringBuilder line = new StringBuilder(indent);
        for (String word : text.strip().split(" +")) {
            if (line.length() > indent.length() && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
                line.append(indent);
            }
            if (line.length() > indent.length()) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
    }
}

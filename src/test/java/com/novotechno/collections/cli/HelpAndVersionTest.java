package com.novotechno.collections.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.config.Settings;
import com.novotechno.collections.testing.CommandLineRunner;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a new user reaches for first: --version, help, and help that is complete and fits the terminal. */
class HelpAndVersionTest extends CommandLineRunner {

    private static final List<String> COMMANDS =
            List.of("run", "status", "show", "overdue", "dunning", "dlq", "submit", "import", "verify", "reconcile", "rebuild",
                    "backup", "restore", "health");
    

    @Test
    void everyCommandPrintsTheVersionWithDashCapitalVOrDashDashVersion() {
        assertThat(run("--version")).isZero();
        String version = out;
        assertThat(version.lines().findFirst().orElseThrow()).matches("novotechno-collections \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(version).contains("Java " + Runtime.version());
        for (String command : COMMANDS) {
            for (String flag : List.of("-V", "--version")) {
                assertThat(run(command, flag)).as(command + " " + flag).isZero();
                assertThat(out).as(command + " " + flag).isEqualTo(version);
            }
        }
    }

    @Test
    void theHelpCommandExplainsTheToolAndEachCommandAsHelpDoes() {
        assertThat(run("help")).isZero();
        String help = out;
        assertThat(run("--help")).isZero();
        assertThat(help).isEqualTo(out).contains("  help ");
        for (String command : COMMANDS) {
            assertThat(run("help", command)).as(command).isZero();
            String viaHelp = out;
            assertThat(run(command, "--help")).isZero();
            assertThat(viaHelp).as(command).isEqualTo(out);
        }
    }

    @Test
    void theCommandListGivesEachCommandOneWholeSentenceOnOneLine() {
        assertThat(run("--help")).isZero();
        List<String> lines = out.lines().toList();
        List<String> listed = lines.subList(lines.indexOf("Commands:") + 1, lines.indexOf("Exit codes:") - 1);
        for (String command : COMMANDS) {
            int at = listed.stream().filter(line -> line.startsWith("  " + command + " ")).findFirst().map(listed::indexOf)
                    .orElseThrow();
            assertThat(listed.get(at)).as(command).endsWith(".");
            assertThat(listed.get(at + 1)).as(command + "'s summary continues on a second line").matches("  [a-z]+ +\\S.*");
        }
    }

    @Test
    void noLineOfAnyHelpIsWiderThanTheUsageWidthNorBreaksAFileNameAtItsDot() {
        for (String command : COMMANDS) {
            assertThat(run(command, "--help")).isZero();
            assertThat(out.lines()).as(command).allSatisfy(line -> {
                assertThat(line.length()).as(line).isLessThanOrEqualTo(CollectionsCommand.USAGE_WIDTH);
                assertThat(line).as(line).doesNotEndWith("rebuild.").doesNotEndWith("events.").doesNotEndWith("ledger.");
            });
        }
    }

    @Test
    void everyCommandsHelpGivesItsExitCodes() {
        assertThat(run("--help")).isZero();
        assertThat(out).contains("Exit codes:\n  0   ", "\n  1   ", "\n  2   a usage error");
        for (String command : COMMANDS) {
            assertThat(run(command, "--help")).isZero();
            assertThat(out).as(command).contains("\nExit codes:\n  0   ", "\n  1   ", "\n  2   a usage error");
        }
    }

    @Test
    void rebuildHelpSaysItReplacesAHandEditedLedgerAndRefusesADamagedLog() {
        assertThat(run("rebuild", "--help")).isZero();
        String help = out.replace("\n", " ");
        assertThat(help).contains("a hand-edited ledger.qmd or state file is replaced, and its edit is lost",
                "refuses, changing nothing, when the log is damaged", "0   rebuilt", "1   refused, nothing changed");
    }

    @Test
    void runHelpListsEveryConfigurationKeyWithItsDefaultFromApplicationProperties() {
        assertThat(run("run", "--help")).isZero();
        Map<String, String> defaults = Settings.load(Map.of(), Map.of()).all();
        assertThat(defaults).isNotEmpty();
        defaults.forEach((key, value) -> assertThat(out).as(key)
                .contains("\n  " + key + "=" + (value.isEmpty() ? " (unset)" : value) + "\n"));
        assertThat(out).contains("      How often the running service reconciles the ledger against the state files");
    }
}

package com.novotechno.collections.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.testing.CommandLineRunner;
import com.novotechno.collections.testing.JavaProcess;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.Stores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as an operator uses it: exit codes, what it prints, what it changes. */
class CommandLineTest extends CommandLineRunner {

    @TempDir
    Path temp;



    private Path data() {
        return temp.resolve("data");
    }

    private Path file(String name, byte[]... messages) throws Exception {
        Path file = temp.resolve(name);
        StringBuilder content = new StringBuilder();
        for (byte[] message : messages) {
            content.append(new String(message, StandardCharsets.UTF_8)).append('\n');
        }
        Files.writeString(file, content);
        return file;
    }

    @Test
    void importAppliesJsonAndJsonLinesFilesAndCountsDuplicates() throws Exception {
        Path single = file("one.json", Messages.issued("i1", "ACME", "INV-1", "100", "USD"));
        Path lines = file("more.jsonl", Messages.issued("i2", "ACME", "INV-2", "50", "EUR"),
                Messages.payment("p1", "ACME", "INV-1", "100", "USD"));

        assertThat(run("import", "--create", "--data-dir", data().toString(), single.toString(), lines.toString())).isZero();
        assertThat(out).isEqualTo("import: 3 applied, 0 duplicates, 0 rejected\n");
        assertThat(data().resolve("state/archive/ACME/INV-1.json")).exists();
        assertThat(data().resolve("state/open/ACME/INV-2.json")).exists();

        assertThat(run("import", "--data-dir", data().toString(), lines.toString(), single.toString())).isZero();
        assertThat(out).isEqualTo("import: 0 applied, 3 duplicates, 0 rejected\n");
    }

    @Test
    void rejectedMessagesAreReportedWithFileLineAndReasonAndTheRestGoOn() throws Exception {
        Path lines = file("batch.jsonl",
                Messages.issued("i1", "ACME", "INV-1", "100", "USD"),
                Messages.json("{\"type\":\"invoice.issued\",\"message_id\":\"bad\",\"client\":\"ACME\",\"invoice_number\":\"INV-2\",\"amount\":\"-1\"}"),
                Messages.json("not json at all"),
                Messages.payment("p1", "ACME", "INV-1", "500", "EUR"),
                Messages.payment("p2", "ACME", "INV-1", "40", "USD"));

        assertThat(run("import", "--create", "--data-dir", data().toString(), lines.toString())).isEqualTo(1);
        assertThat(out).isEqualTo("import: 2 applied, 0 duplicates, 3 rejected\n");
        assertThat(errorLines()).containsExactly(
                lines + ":2: message bad rejected: amount: must be above zero, found '-1'",
                lines + ":3: message rejected: message is not valid JSON: Unrecognized token 'not': was expecting "
                        + "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
                lines + ":4: message p1 rejected: currency: EUR differs from the invoice's USD");
    }

    @Test
    void anOversizedFileOrLineIsRejectedAndTheRestApplied() throws Exception {
        Path big = temp.resolve("big.json");
        Files.write(big, new byte[8 * 1024 * 1024]);
        Path lines = file("lines.jsonl", Messages.json("{\"x\":\"" + "a".repeat(70_000) + "\"}"),
                Messages.issued("i1", "ACME", "INV-1", "100", "USD"));
        assertThat(run("import", "--create", "--data-dir", data().toString(), big.toString(), lines.toString())).isEqualTo(1);
        assertThat(errorLines()).containsExactly(
                big + ":1: message rejected: message is larger than the limit of 65536 bytes",
                lines + ":1: message rejected: message is larger than the limit of 65536 bytes");
        assertThat(out).isEqualTo("import: 1 applied, 0 duplicates, 2 rejected\n");
    }

    @Test
    void unreadableFilesAreReportedAndTheRestStillApplied() throws Exception {
        Path good = file("good.json", Messages.issued("i1", "ACME", "INV-1", "100", "USD"));
        Path folder = Files.createDirectory(temp.resolve("a-folder.json"));
        assertThat(run("import", "--create", "--data-dir", data().toString(), temp.resolve("nope.json").toString(), folder.toString(),
                good.toString())).isEqualTo(1);
        assertThat(err).contains("nope.json: rejected: no such file")
                .contains("a-folder.json: rejected: cannot read it");
        assertThat(out).isEqualTo("import: 1 applied, 0 duplicates, 2 rejected\n");
    }

    @Test
    void importIntoAMistypedFolderIsRefusedAndCreatesNothing() throws Exception {
        Path message = file("m.json", Messages.issued("i1", "ACME", "INV-1", "100", "USD"));
        Path mistyped = temp.resolve("dat");
        assertThat(run("import", "--data-dir", mistyped.toString(), message.toString())).isEqualTo(2);
        assertThat(err).contains("no data folder at " + mistyped.toAbsolutePath() + ": nothing to import into",
                "--create");
        assertThat(out).isEmpty();
        assertThat(mistyped).doesNotExist();

        Path empty = Files.createDirectory(temp.resolve("empty"));
        assertThat(run("import", "--data-dir", empty.toString(), message.toString())).isEqualTo(2);
        assertThat(err).contains(empty.toAbsolutePath() + " holds no event log (events.log)");
        assertThat(empty).isEmptyDirectory();
    }

    @Test
    void importWithCreateMakesANewDataFolderButNotInAFolderThatHoldsOtherFiles() throws Exception {
        Path message = file("m.json", Messages.issued("i1", "ACME", "INV-1", "100", "USD"));
        assertThat(run("import", "--create", "--data-dir", data().toString(), message.toString())).isZero();
        assertThat(data().resolve("events.log")).isNotEmptyFile();
        assertThat(run("import", "--data-dir", data().toString(), message.toString())).isZero();
        assertThat(out).isEqualTo("import: 0 applied, 1 duplicates, 0 rejected\n");
        assertThat(run("import", "--create", "--data-dir", data().toString(), message.toString())).as("a folder that is one")
                .isZero();

        Path home = Files.createDirectory(temp.resolve("home"));
        Files.writeString(home.resolve("notes.txt"), "mine");
        assertThat(run("import", "--create", "--data-dir", home.toString(), message.toString())).isEqualTo(2);
        assertThat(err).contains(home.toAbsolutePath() + " is not empty and holds no event log (events.log)");
        try (var left = Files.list(home)) {
            assertThat(left).containsExactly(home.resolve("notes.txt"));
        }
    }

    @Test
    void everyCommandThatOpensAStoreRefusesAFolderThatIsNoneAndLeavesItAsItWas() throws Exception {
        Path message = file("m.json", Messages.issued("i1", "ACME", "INV-1", "100", "USD"));
        Path empty = Files.createDirectory(temp.resolve("empty"));
        Path missing = temp.resolve("missing");
        for (List<String> command : List.of(List.of("status"), List.of("status", "--json"), List.of("dunning", "--dry-run"),
                List.of("verify"), List.of("reconcile"), List.of("rebuild"), List.of("import", message.toString()))) {
            for (Path folder : List.of(missing, empty)) {
                List<String> args = new java.util.ArrayList<>(command);
                args.addAll(1, List.of("--data-dir", folder.toString()));
                assertThat(run(args.toArray(String[]::new))).as(args + ": " + err).isEqualTo(2);
                assertThat(err).as(args.toString()).contains(folder.toAbsolutePath().toString());
                assertThat(out).as(args.toString()).isEmpty();
            }
            assertThat(missing).as(command.toString()).doesNotExist();
            assertThat(empty).as(command.toString()).isEmptyDirectory();
        }
    }

    @Test
    void verifyIsSilentOnSuccessAndNamesEachFault() throws Exception {
        Path messages = file("m.jsonl", Messages.issued("i1", "ACME", "INV-1", "100", "USD"),
                Messages.issued("i2", "ACME", "INV-2", "100", "USD"));
        run("import", "--create", "--data-dir", data().toString(), messages.toString());

        assertThat(run("verify", "--data-dir", data().toString())).isZero();
        assertThat(out).matches("verify: intact \\(2 state files, event log chain whole, ledger checksums match;"
                + " MACs checked under key [0-9a-f]{16}\\)\n");

        Path state = data().resolve("state/open/ACME/INV-2.json");
        Files.writeString(state, Files.readString(state).replace("\"100.00\"", "\"10.00\""));
        List<String> log = Files.readAllLines(data().resolve("events.log"));
        Files.write(data().resolve("events.log"), List.of(log.get(0).replace("INV-1", "INV-9"), log.get(1)));
        Path ledger = data().resolve("ledger.qmd");
        Files.writeString(ledger, Files.readString(ledger).replace("| Unpaid | USD | 2 | 200.00 | 200.00 |",
                "| Unpaid | USD | 2 | 200.00 | 100.00 |"));

        assertThat(run("verify", "--data-dir", data().toString())).isEqualTo(1);
        assertThat(out.lines().toList()).hasSize(4)
                .anySatisfy(line -> assertThat(line).startsWith("state/open/ACME/INV-2.json: checksum mismatch"))
                .anySatisfy(line -> assertThat(line).startsWith("events.log:1: hash mismatch"))
                .anySatisfy(line -> assertThat(line).startsWith("ledger.qmd: section Summary was edited: its checksum (line"))
                .last().asString().matches("verify: 3 faults \\(MACs checked under key [0-9a-f]{16}\\)");
    }

    @Test
    void reconcileExitsZeroWhenTheLedgerAgreesAndOneWithEachDifference() throws Exception {
        Path messages = file("m.jsonl", Messages.issued("i1", "ACME", "INV-1", "100", "USD"),
                Messages.payment("p1", "ACME", "INV-1", "30", "USD"));
        run("import", "--create", "--data-dir", data().toString(), messages.toString());

        assertThat(run("reconcile", "--data-dir", data().toString())).isZero();
        assertThat(out).matches("reconcile: the ledger agrees with the state files \\(1 invoices, log seq 2\\)\n"
                + "reconcile: compared 1 state files with ledger.qmd in \\d+\\.\\d\\d s\n");

        Path ledger = data().resolve("ledger.qmd");
        String edited = Files.readString(ledger).replace("| 100.00 | 70.00 | USD |", "| 100.00 | 75.00 | USD |");
        Files.writeString(ledger, edited);
        assertThat(run("reconcile", "--data-dir", data().toString())).isEqualTo(1);
        assertThat(out.lines().toList()).hasSize(4).startsWith(
                "ledger edited: ledger.qmd: section Unpaid was edited: its checksum (line 41) does not match",
                "amount differs: ACME/INV-1: the ledger has amount 100.00 USD, balance 75.00 USD; the state has amount"
                        + " 100.00 USD, balance 70.00 USD",
                "reconcile: 2 differences");
        assertThat(out.lines().toList().get(3)).matches("reconcile: compared 1 state files with ledger.qmd in \\d+\\.\\d\\d s");
        assertThat(Files.readString(ledger)).isEqualTo(edited);

        try (CollectionsStore running = Stores.open(data())) {
            assertThat(run("reconcile", "--data-dir", data().toString())).isEqualTo(1);
            assertThat(out).startsWith("reconcile: the service is running; invoices changed since the ledger's last"
                    + " batch are not compared\n");
        }
        assertThat(run("reconcile", "--data-dir", temp.resolve("nowhere").toString())).isEqualTo(2);
    }

    @Test
    void rebuildRegeneratesTheStateFromTheLog() throws Exception {
        Path messages = file("m.jsonl", Messages.issued("i1", "ACME", "INV-1", "100", "USD"),
                Messages.payment("p1", "ACME", "INV-1", "25", "USD"));
        run("import", "--create", "--data-dir", data().toString(), messages.toString());
        Path state = data().resolve("state/open/ACME/INV-1.json");
        byte[] original = Files.readAllBytes(state);
        Files.writeString(state, "damaged");

        assertThat(run("rebuild", "--data-dir", data().toString())).isZero();
        assertThat(out).isEqualTo("rebuild: state files and ledger rebuilt from 2 log entries\n");
        assertThat(Files.readAllBytes(state)).isEqualTo(original);
    }

    @Test
    void everyCommandThatReadsTheFolderSaysSoAndExitsOneWhileARebuildIsUnfinished() throws Exception {
        Path messages = file("m.jsonl", Messages.issued("i1", "ACME", "INV-1", "100", "USD"),
                Messages.issued("i2", "ACME", "INV-2", "50", "USD"));
        assertThat(run("import", "--create", "--data-dir", data().toString(), messages.toString())).isZero();
        // As a rebuild leaves the folder when it is killed after deleting state files and before its end.
        Files.writeString(data().resolve("rebuild.inprogress"), "rebuild in progress\n");
        Files.delete(data().resolve("state/open/ACME/INV-2.json"));
        Path more = file("more.json", Messages.issued("i3", "ACME", "INV-3", "5", "USD"));

        for (List<String> command : List.of(List.of("status"), List.of("status", "--json"), List.of("verify"),
                List.of("reconcile"), List.of("import", more.toString()))) {
            List<String> args = new java.util.ArrayList<>(command);
            args.addAll(1, List.of("--data-dir", data().toString()));
            assertThat(run(args.toArray(String[]::new))).as(command + ": " + out + err).isEqualTo(1);
            assertThat(out + err).as(command.toString()).contains("rebuild", "rebuild.inprogress")
                    .doesNotContain("1 open invoices");
        }
        assertThat(data().resolve("state/open/ACME/INV-3.json")).doesNotExist();

        assertThat(run("rebuild", "--data-dir", data().toString())).isZero();
        assertThat(data().resolve("rebuild.inprogress")).doesNotExist();
        assertThat(run("status", "--data-dir", data().toString())).isZero();
        assertThat(out).contains("2 open invoices");
    }

    @Test
    void configurationComesFromEnvironmentAndCommandLineKeys() throws Exception {
        Path message = file("m.json", Messages.json(
                "{\"type\":\"invoice.issued\",\"message_id\":\"d\",\"client\":\"C\",\"invoice_number\":\"1\",\"amount\":\"5\",\"issued_on\":\"2026-01-01\"}"));
        environment.put("COLLECTIONS_DATA_DIR", data().toString());
        environment.put("COLLECTIONS_DEFAULT_CURRENCY", "EUR");

        assertThat(run("import", "--create", "--collections.terms-days=14", message.toString())).isZero();
        String state = Files.readString(data().resolve("state/open/C/1.json"));
        assertThat(state).contains("\"currency\": \"EUR\"").contains("\"due_on\": \"2026-01-15\"");
    }

    @Test
    void everyCommandExplainsItselfWithHelp() {
        for (String command : new String[] {"run", "status", "submit", "import", "verify", "reconcile", "rebuild"}) {
            assertThat(run(command, "--help")).as(command).isZero();
            assertThat(out).as(command).startsWith("Usage: novotechno-collections " + command).contains("--data-dir=DIR");
        }
        assertThat(run("--help")).isZero();
        assertThat(out).contains("run", "status", "dunning", "submit", "import", "verify", "reconcile", "rebuild",
                "--collections.terms-days=14");
    }

    @Test
    void usageErrorsExitTwoSayingWhatIsWrong() throws Exception {
        assertThat(run()).isEqualTo(2);
        assertThat(err).contains("a COMMAND is required");
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err).contains("Unmatched argument at index 0: 'frobnicate'");
        assertThat(run("import", "--data-dir", data().toString())).isEqualTo(2);
        assertThat(err).contains("Missing required parameter: 'FILE'");
        assertThat(run("verify", "--collections.no-such-key=1")).isEqualTo(2);
        assertThat(err).contains("unknown configuration key 'collections.no-such-key'");
        assertThat(run("verify", "--collections.terms-days=soon")).isEqualTo(2);
        assertThat(err).contains("collections.terms-days must be a whole number from 0 to 3650, found 'soon'");
        // Every command has a "today", so every command checks the zone.
        assertThat(run("status", "--collections.time-zone=Mars/Olympus")).isEqualTo(2);
        assertThat(err).contains("collections.time-zone: 'Mars/Olympus' is not a time zone");
        assertThat(run("import", "--collections.terms-days=-5", "x.json")).isEqualTo(2);
        assertThat(err).contains("collections.terms-days must be a whole number from 0 to 3650, found '-5'");
        assertThat(run("run", "--collections.reconcile.period=often")).isEqualTo(2);
        assertThat(err).contains("collections.reconcile.period must be a duration: whole numbers of d, h, m, s and ms in"
                + " that order, such as 500ms, 60s, 5m, 1h30m or 30d, or a number of milliseconds, at least 1s; found 'often'");
        assertThat(run("run", "--collections.reconcile.period=500ms")).isEqualTo(2);
        assertThat(err).contains("collections.reconcile.period must be at least 1s, found '500ms'");
        assertThat(run("run", "--collections.dunning.schedule=7:reminder,3:final_notice")).isEqualTo(2);
        assertThat(err).contains("collections.dunning.schedule");
        assertThat(run("run", "--collections.unapplied.max-age=0")).isEqualTo(2);
        assertThat(err).contains("collections.unapplied.max-age must be at least 1ms, found '0'");
        assertThat(run("run", "--collections.queue.consumers=0")).isEqualTo(2);
        assertThat(err).contains("collections.queue.consumers must be a whole number from 1 to 64, found '0'");
        assertThat(run("run", "--collections.routes=" + temp)).isEqualTo(2);
        assertThat(err).contains("collections.routes: no *.yaml route files in " + temp);
        // Only the commands that run the service or talk to its broker read its settings.
        Stores.open(data()).close();
        assertThat(run("verify", "--data-dir", data().toString(), "--collections.queue.consumers=0")).isNotEqualTo(2);
        assertThat(run("verify", "--data-dir", temp.resolve("nowhere").toString())).isEqualTo(2);
        assertThat(err).contains("no data folder at " + temp.resolve("nowhere") + ": nothing to verify");
        assertThat(run("verify", "--collections.default-currency=XAU")).isEqualTo(2);
        assertThat(err).contains("collections.default-currency: 'XAU' has no minor unit");
    }

    @Test
    void aSecondProcessOnAFolderInUseExitsNonZeroNamingTheHolder() throws Exception {
        Path message = file("m.json", Messages.issued("i1", "ACME", "INV-1", "100", "USD"));
        try (CollectionsStore running = Stores.open(data())) {
            Process second = JavaProcess.builder(CollectionsCommand.class, "import", "--data-dir", data().toString(),
                    message.toString()).start();
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String stderr = new String(second.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(second.exitValue()).isEqualTo(1);
            assertThat(stderr).contains("is in use by pid " + ProcessHandle.current().pid());
            assertThat(running.lastSeq()).isZero();
        }
    }
    @Test
    void importEchoesNoRawControlCharacterFromAMessage() throws Exception {
        String esc = "\\u001b[2J\\u001b[1;1Himport: 9 applied\\u2028\\u202e";
        Path lines = file("hostile.jsonl",
                Messages.json("{\"type\":\"invoice.issued" + esc + "\",\"message_id\":\"m1\",\"client\":\"A\","
                        + "\"invoice_number\":\"1\",\"amount\":\"1\"}"),
                Messages.json("{\"type\":\"invoice.issued\",\"message_id\":\"m2\",\"client\":\"A\","
                        + "\"invoice_number\":\"2\",\"amount\":\"1\",\"currency\":\"" + esc + "\"}"),
                Messages.json("{\"type\":\"invoice.issued\",\"message_id\":\"m3" + esc + "\",\"client\":\"A\","
                        + "\"invoice_number\":\"3\",\"amount\":\"1\"}"),
                Messages.json("{\"type\":\"invoice.issued\",\"message_id\":\"m4\",\"client\":\"A\","
                        + "\"invoice_number\":\"4\",\"amount\":\"1\",\"x" + esc + "\":\"1\"}"));
        Path named = file("name\u001b[2J\u202e.json", Messages.issued("i1", "ACME", "INV-1", "-1", "USD"));

        assertThat(run("import", "--create", "--data-dir", data().toString(), lines.toString(), named.toString())).isEqualTo(1);
        assertThat(out).isEqualTo("import: 0 applied, 0 duplicates, 5 rejected\n");
        assertThat(errorLines()).hasSize(5).allSatisfy(line -> assertThat(line).contains("rejected: "));
        assertThat(err).contains("\\u001B[2J").doesNotContainPattern("[\\p{Cc}\\p{Cf}\\u2028\\u2029&&[^\\n]]");
    }
}

package com.novotechno.collections.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.cli.CollectionsCommand;
import com.novotechno.collections.log.LogCorruptionException;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.StoreRebuilder;
import com.novotechno.collections.state.StoreSettings;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.Jcs;
import com.novotechno.collections.testing.CommandLineRunner;
import com.novotechno.collections.testing.KeyedFolderSupport;
import com.novotechno.collections.testing.LogForgery;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.MovableClock;
import com.novotechno.collections.testing.Stores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14's tamper evidence attacked as its adversary would (write access to the data folder, no read
 * access to the key) and as an operator stumbles: each test names what must hold.
 */
class Review14Test extends KeyedFolderSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private void apply(StoreSettings settings, byte[]... messages) throws Exception {
        try (CollectionsStore store = open(settings)) {
            for (byte[] message : messages) {
                store.apply(message);
            }
        }
    }

    /** An older folder (two lines before the key), then one keyed line. */
    private void keyedAfterTwoLines() throws Exception {
        apply(Stores.SETTINGS, Messages.issued("i1", "ACME", "INV-1", "100.00", "USD"),
                Messages.payment("p1", "ACME", "INV-1", "40.00", "USD"));
        apply(keyed, Messages.issued("i2", "ACME", "INV-2", "10.00", "USD"));
        assertThat(MacKeyFile.read(keyFile).orElseThrow().keyedSince()).isEqualTo(3);
    }

    /** What the adversary does after editing the log: the files that remember it longer deleted, then a rebuild without the key. */
    private void deriveAnewWithoutTheKey() throws IOException {
        for (String derived : List.of("ledger.qmd", "checkpoint.json", "snapshot.bin")) {
            Files.deleteIfExists(data.resolve(derived));
        }
        StoreRebuilder.rebuild(new FileSystemStorage(), data, Stores.SETTINGS, notice -> { });
    }

    /** verify names the log's fault, and a start refuses the log for the same reason. */
    private void assertNamedAndRefused(String faultStart, String reason) throws IOException {
        assertThat(verify()).anySatisfy(fault -> assertThat(fault).startsWith(faultStart).contains(reason));
        assertThatThrownBy(() -> open(keyed)).isInstanceOf(LogCorruptionException.class).hasMessageContaining(reason);
    }

    @Test
    void historyBeforeTheKeyRewrittenWithEveryKeyedLineCutIsNamedByVerifyAndRefusedByTheStart() throws Exception {
        keyedAfterTwoLines();
        // The adversary cuts the keyed line, turns the unkeyed payment of 40.00 into 100.00 with its hash
        // recomputed, and derives every file anew without the key, as a rebuild by anyone would.
        ObjectNode payment = LogForgery.line(data, 1);
        ((ObjectNode) payment.get("data")).put("amount", "100.00");
        LogForgery.write(data, List.of(LogForgery.lines(data).get(0), LogForgery.rehashed(payment, Optional.empty())));
        deriveAnewWithoutTheKey();

        assertNamedAndRefused("events.log:2: ", "the one this line had when the MAC key was made");
    }

    @Test
    void aRebuildOfAKeyedFolderWithAForgedLineRefusesChangingNothing() throws Exception {
        apply(keyed, Messages.issued("i1", "ACME", "INV-1", "100.00", "USD"),
                Messages.payment("p1", "ACME", "INV-1", "40.00", "USD"));
        ObjectNode forged = LogForgery.line(data, 1);
        forged.put("seq", 3);
        forged.put("message_id", "forged-1");
        forged.put("prev", forged.get("hash").textValue());
        ((ObjectNode) forged.get("data")).remove(List.of("method", "reference")); // sealed, bound to their own message
        List<String> lines = new java.util.ArrayList<>(LogForgery.lines(data));
        lines.add(LogForgery.rehashed(forged, Optional.empty()));
        LogForgery.write(data, lines);
        Map<String, byte[]> state = Stores.stateFiles(data);

        assertThatThrownBy(() -> StoreRebuilder.rebuild(new FileSystemStorage(), data, keyed, notice -> { }))
                .isInstanceOf(LogCorruptionException.class).hasMessageContaining("nothing was changed")
                .hasMessageContaining("it carries no MAC");
        assertThat(Stores.stateFiles(data)).containsExactlyEntriesOf(state);
        assertThat(data.resolve("rebuild.inprogress")).doesNotExist();
    }

    @Test
    void aLogCutBelowWhereTheKeyBeganIsRefusedSoNoLineIsWrittenUnkeyedAgain() throws Exception {
        keyedAfterTwoLines();
        LogForgery.write(data, LogForgery.lines(data).subList(0, 1));
        deriveAnewWithoutTheKey();

        // Unchecked, the next line (seq 2, below keyed_since) would go out without a MAC, forgeable at will.
        assertNamedAndRefused("events.log: ends at seq 1", "it held 2 lines when the MAC key was made");
    }

    @Test
    void aKeyFileNamedForAnotherFolderIsRefusedRatherThanLeavingItsFirstLinesUnkeyed() throws Exception {
        keyedAfterTwoLines();
        data = temp.resolve("second");
        assertThatThrownBy(() -> open(keyed)).isInstanceOf(LogCorruptionException.class)
                .hasMessageContaining("another folder's");
        assertThat(data.resolve("events.log")).satisfiesAnyOf(
                log -> assertThat(log).doesNotExist(), log -> assertThat(log).isEmptyFile());
    }

    @Test
    void aForgedLastLineWhoseMacIsNoStringStopsTheStartRatherThanBeingCutAsATornWrite() throws Exception {
        apply(keyed, Messages.issued("i1", "ACME", "INV-1", "100.00", "USD"));
        for (String mac : List.of("5", "null", "{}")) {
            ObjectNode forged = LogForgery.line(data, 0);
            forged.put("seq", 2);
            forged.put("message_id", "forged-1");
            forged.put("prev", forged.get("hash").textValue());
            ObjectNode line = (ObjectNode) JSON.readTree(LogForgery.rehashed(forged, Optional.empty()));
            line.set("mac", JSON.readTree(mac)); // outside the hash's input: the hash still holds
            LogForgery.write(data, List.of(LogForgery.lines(data).get(0),
                    new String(Jcs.canonicalize(line), StandardCharsets.UTF_8)));

            assertNamedAndRefused("events.log:2: ", "a mac that is not a string");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"upper", "spaced", "huge"})
    void aGenuineMacInAnotherSpellingIsNoMac(String spelling) throws Exception {
        apply(keyed, Messages.issued("i1", "ACME", "INV-1", "100.00", "USD"));
        ObjectNode line = LogForgery.line(data, 0);
        String mac = line.get("mac").textValue();
        String respelled = switch (spelling) {
            case "upper" -> mac.toUpperCase(java.util.Locale.ROOT);
            case "spaced" -> " " + mac + "\n";
            default -> mac + "0".repeat(100_000);
        };
        LogForgery.write(data, List.of(LogForgery.rehashed(line, Optional.of(respelled))));

        assertThat(verify()).anySatisfy(fault -> assertThat(fault).startsWith("events.log:1: ")
                .contains("not of the form <key id>:<64 hex>"));
        assertThatThrownBy(() -> open(keyed)).isInstanceOf(LogCorruptionException.class);
    }

    /** The command line, as a user types it. */
    @Nested
    class OnTheCommandLine extends CommandLineRunner {

        @Test
        void theDefaultKeyOfAFolderReachedThroughALinkIsTheSameBeforeAndAfterTheFirstStartMakesIt() throws Exception {
            Path real = Files.createDirectories(temp.resolve("real"));
            Path link = Files.createSymbolicLink(temp.resolve("link"), real);
            Path folder = link.resolve("data");
            Path invoice = temp.resolve("invoice.json");
            Files.write(invoice, Messages.issued("i1", "ACME", "INV-1", "100.00", "USD"));
            Path payment = temp.resolve("payment.json");
            Files.write(payment, Messages.payment("p1", "ACME", "INV-1", "40.00", "USD"));

            assertThat(run("import", "--create", "--data-dir", folder.toString(), invoice.toString())).isEqualTo(CollectionsCommand.EXIT_OK);
            // The second writer must find the key the first one made, not refuse the keyed log as keyless.
            assertThat(run("import", "--data-dir", folder.toString(), payment.toString())).as(err).isEqualTo(CollectionsCommand.EXIT_OK);
        }
    }

    @Test
    void aKeyFileInsideTheDataFolderIsRefused() throws Exception {
        StoreSettings inside = Stores.SETTINGS.withMacKeyFile(data.resolve("mac/data.key"));
        assertThatThrownBy(() -> open(inside)).isInstanceOf(IOException.class)
                .hasMessageContaining("inside the data folder");
        assertThat(data.resolve("mac/data.key")).doesNotExist();
    }

    @Test
    void aKeyFileOthersMayReadIsRefusedUntilItIsTheOwnersAlone() throws Exception {
        apply(keyed, Messages.issued("i1", "ACME", "INV-1", "100.00", "USD"));
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> open(keyed)).isInstanceOf(IOException.class).hasMessageContaining("chmod 600");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        apply(keyed, Messages.payment("p1", "ACME", "INV-1", "40.00", "USD"));
    }

    @Test
    void aKeyFileWithAGarbledLineIsReportedAsUnreadableNamingTheFile() throws Exception {
        apply(keyed, Messages.issued("i1", "ACME", "INV-1", "100.00", "USD"));
        String text = Files.readString(keyFile);
        for (String garbled : List.of(text.replaceFirst("keyed_at=.*", "keyed_at=yesterday"),
                text.replaceFirst("keyed_since=.*", "keyed_since=x"), text.replaceFirst("key=.*", "key=%%"))) {
            Files.writeString(keyFile, garbled);
            assertThatThrownBy(() -> MacKeyFile.read(keyFile)).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("the MAC key " + keyFile + " cannot be read");
        }
    }

    /** A folder keyed on 20 February whose ledger has closed February, March and April. */
    private Path periodFolder() throws Exception {
        MovableClock clock = new MovableClock("2026-02-20T09:00:00Z");
        StoreSettings settings = new StoreSettings(Currency.getInstance("USD"), 30, clock).withMacKeyFile(keyFile);
        try (CollectionsStore store = open(settings)) {
            String[][] months = {{"02", "INV-2"}, {"03", "INV-3"}, {"04", "INV-4"}, {"05", "INV-5"}};
            for (String[] month : months) {
                clock.set("2026-" + month[0] + "-21T09:00:00Z");
                store.apply(Messages.issued("i" + month[1], "ACME", month[1], "10.00", "USD"));
                store.apply(Messages.payment("p" + month[1], "ACME", month[1], "10.00", "USD"));
                store.checkpointNow();
            }
            store.flushLedger();
        }
        assertThat(verify()).isEmpty();
        return data.resolve("ledger");
    }

    @Test
    void theFileOfThePeriodTheKeyWasMadeInMustKeepItsMac() throws Exception {
        Path february = periodFolder().resolve("paid-2026-02.qmd");
        List<String> lines = Files.readAllLines(february);
        assertThat(lines.get(lines.size() - 1)).startsWith("<!-- mac: ");
        Files.write(february, lines.subList(0, lines.size() - 1));

        assertThat(verify()).singleElement().asString().startsWith("ledger/paid-2026-02.qmd: it carries no MAC");
    }

    @Test
    void aGenuinePeriodFileUnderAnotherMonthsNameIsNamedByVerify() throws Exception {
        Path periods = periodFolder();
        Files.copy(periods.resolve("paid-2026-03.qmd"), periods.resolve("paid-2026-04.qmd"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThat(verify()).singleElement().asString()
                .isEqualTo("ledger/paid-2026-04.qmd: it is the file of period 2026-03, not of 2026-04");
    }

    @Test
    void aKeyedFolderRebuildsByteForByteWithItsMacs() throws Exception {
        Path periods = periodFolder();
        Map<String, byte[]> state = Stores.stateFiles(data);
        byte[] march = Files.readAllBytes(periods.resolve("paid-2026-03.qmd"));
        byte[] ledger = Files.readAllBytes(data.resolve("ledger.qmd"));

        StoreRebuilder.rebuild(new FileSystemStorage(), data, keyed, notice -> { });

        assertThat(Stores.stateFiles(data)).containsExactlyEntriesOf(state);
        assertThat(Files.readAllBytes(periods.resolve("paid-2026-03.qmd"))).isEqualTo(march);
        assertThat(new String(Files.readAllBytes(data.resolve("ledger.qmd")), StandardCharsets.UTF_8))
                .isEqualTo(new String(ledger, StandardCharsets.UTF_8));
        assertThat(verify()).isEmpty();
    }

    @Test
    void genuineKeyedStateFilesPutElsewhereOrBackAreNamedByVerify() throws Exception {
        apply(keyed, Messages.issued("i1", "ACME", "INV-1", "100.00", "USD"),
                Messages.issued("i2", "ACME", "INV-2", "100.00", "USD"));
        Path one = data.resolve("state/open/ACME/INV-1.json");
        Path two = data.resolve("state/open/ACME/INV-2.json");
        byte[] older = Files.readAllBytes(one);
        apply(keyed, Messages.payment("p1", "ACME", "INV-1", "40.00", "USD"));
        byte[] newer = Files.readAllBytes(one);

        // An older genuine file, its MAC valid for what it says: named as stale, not as a forgery.
        Files.write(one, older);
        assertThat(verify()).singleElement().asString().startsWith("state/open/ACME/INV-1.json: differs from the log:"
                + " balance is \"100.00\" where the log implies \"60.00\"; last_seq is 1 where the log implies 3").doesNotContain("MAC");
        Files.write(one, Files.readAllBytes(two)); // another invoice's, swapped in
        Files.write(two, newer);
        assertThat(verify()).contains("state/open/ACME/INV-1.json: holds invoice ACME/INV-2, not ACME/INV-1",
                        "state/open/ACME/INV-2.json: holds invoice ACME/INV-1, not ACME/INV-2")
                .noneSatisfy(fault -> assertThat(fault).contains("resealed"));
    }
}

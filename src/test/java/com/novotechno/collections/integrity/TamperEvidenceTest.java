package com.novotechno.collections.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.novotechno.collections.log.LogCorruptionException;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.StoreSettings;
import com.novotechno.collections.state.StoreVerifier;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.Keying;
import com.novotechno.collections.testing.KeyedFolderSupport;
import com.novotechno.collections.testing.LogForgery;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.Stores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's adversary: someone who can write the data folder but cannot read the MAC key. A line
 * appended with a correct prev and hash, a state file resealed with a recomputed checksum, a MAC
 * stripped: each is named by verify and refused or set aside by a start.
 */
class TamperEvidenceTest extends KeyedFolderSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private void issueTwo(StoreSettings settings) throws Exception {
        try (CollectionsStore store = open(settings)) {
            store.apply(Messages.issued("i1", "ACME", "INV-1", "100.00", "EUR"));
            store.apply(Messages.payment("p1", "ACME", "INV-1", "40.00", "EUR"));
        }
    }

    private List<String> logLines() throws IOException {
        return LogForgery.lines(data);
    }

    @Test
    void theFirstStartMakesAnOwnerOnlyKeyOutsideTheFolderAndEveryLineAndFileCarriesAMac() throws Exception {
        issueTwo(keyed);

        assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(keyFile.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        Keying keying = MacKeyFile.read(keyFile).orElseThrow();
        assertThat(keying.keyedSince()).isEqualTo(1);
        String keyId = keying.key().orElseThrow().id();
        for (String line : logLines()) {
            assertThat(JSON.readTree(line).get("mac").textValue()).startsWith(keyId + ":");
        }
        JsonNode state = JSON.readTree(data.resolve("state/open/ACME/INV-1.json").toFile());
        assertThat(state.get("_mac").textValue()).startsWith(keyId + ":");
        assertThat(verify()).isEmpty();
        // The same key at the next start: nothing made anew.
        byte[] key = Files.readAllBytes(keyFile);
        issueMore("i2", "INV-2");
        assertThat(Files.readAllBytes(keyFile)).isEqualTo(key);
        assertThat(verify()).isEmpty();
    }

    private void issueMore(String id, String invoice) throws Exception {
        try (CollectionsStore store = open(keyed)) {
            store.apply(Messages.issued(id, "ACME", invoice, "10.00", "EUR"));
        }
    }

    @Test
    void aLineAppendedWithACorrectPrevAndHashIsNamedByVerifyAndRefusedByTheStart() throws Exception {
        issueTwo(keyed);
        appendForgedPayment(Optional.empty());

        assertThat(verify()).anySatisfy(fault -> assertThat(fault)
                .startsWith("events.log:3: it carries no MAC, though everything from log seq 1 on is keyed"));
        assertThatThrownBy(() -> open(keyed)).isInstanceOf(LogCorruptionException.class)
                .hasMessageContaining("events.log line 3: it carries no MAC");
    }

    @Test
    void aLineWithAMacMadeUpByTheForgerIsNamedAsNotMatching() throws Exception {
        issueTwo(keyed);
        String keyId = MacKeyFile.read(keyFile).orElseThrow().key().orElseThrow().id();
        appendForgedPayment(Optional.of(keyId + ":" + "ab".repeat(32)));

        assertThat(verify()).anySatisfy(fault -> assertThat(fault).startsWith("events.log:3: its MAC does not match"));
        assertThatThrownBy(() -> open(keyed)).isInstanceOf(LogCorruptionException.class)
                .hasMessageContaining("its MAC does not match");
    }

    @Test
    void withoutTheKeyTheSameForgeryPassesTheChainAlone() throws Exception {
        // What the key adds: the hash chain alone cannot tell the forged line from a real one.
        issueTwo(keyed);
        appendForgedPayment(Optional.empty());
        Files.delete(keyFile);
        assertThat(new StoreVerifier(new FileSystemStorage(), new DataLayout(data)).verify().faults())
                .noneMatch(fault -> fault.startsWith("events.log"));
    }

    @Test
    void withoutTheKeyAKeyedFolderVerifiesOnChecksumsAndTheChainAlone() throws Exception {
        issueTwo(keyed);
        assertThat(new StoreVerifier(new FileSystemStorage(), new DataLayout(data)).verify().faults()).isEmpty();
        byte[] sealed = Files.readAllBytes(data.resolve("state/open/ACME/INV-1.json"));
        ObjectNode content = (ObjectNode) JSON.readTree(sealed);
        content.remove(List.of("_checksum", "_mac"));
        assertThat(new String(com.novotechno.collections.storage.ChecksummedJson.withoutMac(sealed), StandardCharsets.UTF_8))
                .isEqualTo(new String(com.novotechno.collections.storage.ChecksummedJson.encode(content), StandardCharsets.UTF_8));
    }

    /** A payment line as the service would write it, with the right seq, prev and hash, but no key. */
    private void appendForgedPayment(Optional<String> mac) throws IOException {
        List<String> lines = new ArrayList<>(logLines());
        ObjectNode last = LogForgery.line(data, lines.size() - 1);
        ObjectNode forged = last.deepCopy();
        forged.put("seq", last.get("seq").longValue() + 1);
        forged.put("message_id", "forged-1");
        ObjectNode data = (ObjectNode) forged.get("data");
        data.put("amount", "60.00");
        data.remove(List.of("method", "reference")); // sealed under the client's key, bound to their own message
        forged.put("prev", last.get("hash").textValue());
        lines.add(LogForgery.rehashed(forged, mac));
        LogForgery.write(this.data, lines);
    }

    @Test
    void aStateFileResealedWithARecomputedChecksumIsNamedByVerify() throws Exception {
        issueTwo(keyed);
        Path file = data.resolve("state/open/ACME/INV-1.json");
        ObjectNode state = (ObjectNode) JSON.readTree(file.toFile());
        state.remove("_checksum");
        state.remove("_mac");
        Files.write(file, com.novotechno.collections.storage.ChecksummedJson.encode(state));

        assertThat(verify()).containsExactly("state/open/ACME/INV-1.json: it carries no MAC, though the service seals it"
                + " under key " + MacKeyFile.read(keyFile).orElseThrow().key().orElseThrow().id()
                + " (resealed by someone without the key)");
    }

    @Test
    void linesWrittenBeforeTheKeyExistedAreUnkeyedAndEveryLineAfterIsKeyed() throws Exception {
        issueTwo(Stores.SETTINGS); // no key yet: an older folder
        issueMore("i2", "INV-2");
        Keying keying = MacKeyFile.read(keyFile).orElseThrow();
        assertThat(keying.keyedSince()).isEqualTo(3);
        List<String> lines = logLines();
        assertThat(JSON.readTree(lines.get(1)).has("mac")).isFalse();
        assertThat(JSON.readTree(lines.get(2)).has("mac")).isTrue();
        // Files that reflect only the unkeyed lines carry none; those of keyed lines do.
        assertThat(JSON.readTree(data.resolve("state/open/ACME/INV-1.json").toFile()).has("_mac")).isFalse();
        assertThat(JSON.readTree(data.resolve("state/open/ACME/INV-2.json").toFile()).has("_mac")).isTrue();
        assertThat(verify()).isEmpty();

        // Stripping the MAC of a keyed line makes it no older: named, and the start refuses.
        List<String> stripped = new ArrayList<>(lines);
        stripped.set(2, LogForgery.rehashed(LogForgery.line(data, 2), Optional.empty()));
        LogForgery.write(data, stripped);
        assertThat(verify()).anySatisfy(fault -> assertThat(fault).startsWith("events.log:3: it carries no MAC"));
        assertThatThrownBy(() -> open(keyed)).isInstanceOf(LogCorruptionException.class);
    }

    @Test
    void aKeyedLogWithoutItsKeyIsRefusedRatherThanKeyedAnew() throws Exception {
        issueTwo(keyed);
        Files.delete(keyFile);

        assertThatThrownBy(() -> open(keyed)).isInstanceOf(FolderKeying.MissingKeyException.class)
                .hasMessageContaining("events.log is keyed (its line 2 carries a MAC made with key")
                .hasMessageContaining(keyFile.toString());
        assertThat(keyFile).doesNotExist();
    }

    @Test
    void anotherKeyIsNamedAsAnotherKeyNotAsAForgery() throws Exception {
        issueTwo(keyed);
        String old = MacKeyFile.read(keyFile).orElseThrow().key().orElseThrow().id();
        Files.delete(keyFile);
        Keying other = MacKeyFile.create(keyFile, data, 1, com.novotechno.collections.storage.Sha256.ZERO, Stores.NOW);

        assertThat(verify()).anySatisfy(fault -> assertThat(fault).isEqualTo("events.log:1: its MAC was made with key " + old
                + ", not this service's key " + other.key().orElseThrow().id()));
        assertThatThrownBy(() -> open(keyed)).isInstanceOf(LogCorruptionException.class)
                .hasMessageContaining("made with key " + old);
    }

    @Test
    void aClosedPeriodsFileCarriesAMacAndOneStrippedOrForgedIsNamed() throws Exception {
        com.novotechno.collections.testing.MovableClock clock =
                new com.novotechno.collections.testing.MovableClock("2026-02-20T09:00:00Z");
        StoreSettings settings = new StoreSettings(java.util.Currency.getInstance("USD"), 30, clock)
                .withMacKeyFile(keyFile);
        try (CollectionsStore store = open(settings)) {
            store.apply(Messages.issued("i0", "ACME", "INV-0", "5.00", "USD")); // the key is made in February
            clock.set("2026-03-10T09:00:00Z");
            store.apply(Messages.issued("i1", "ACME", "INV-1", "100.00", "USD"));
            store.apply(Messages.payment("p1", "ACME", "INV-1", "100.00", "USD"));
            store.checkpointNow();
            clock.set("2026-04-02T09:00:00Z");
            store.apply(Messages.issued("i2", "ACME", "INV-2", "10.00", "USD"));
            store.checkpointNow();
            store.flushLedger();
        }
        Path march = data.resolve("ledger/paid-2026-03.qmd");
        List<String> lines = Files.readAllLines(march);
        String macLine = lines.get(lines.size() - 1);
        assertThat(macLine).matches("<!-- mac: [0-9a-f]{16}:[0-9a-f]{64} \\(HMAC-SHA-256.*-->");
        assertThat(verify()).isEmpty();

        Files.write(march, lines.subList(0, lines.size() - 1));
        assertThat(verify()).containsExactly("ledger/paid-2026-03.qmd: it carries no MAC, though its period ended after"
                + " the key was made (resealed or forged by someone without the key)");

        List<String> forged = new ArrayList<>(lines);
        forged.set(lines.size() - 1, macLine.replaceFirst(":[0-9a-f]", ":" + (macLine.contains(":0") ? "1" : "0")));
        Files.write(march, forged);
        assertThat(verify()).singleElement().asString().startsWith("ledger/paid-2026-03.qmd: its MAC does not match");
    }

    @Test
    void aResealedSnapshotIsSetAsideAndTheWholeLogReplayed() throws Exception {
        issueTwo(keyed);
        Path snapshot = data.resolve("snapshot.bin");
        assertThat(snapshot).exists();
        byte[] bytes = Files.readAllBytes(snapshot);
        // Whoever reseals its SHA-256 without the key cannot make the MAC after it: zeros, as if unkeyed.
        int macAt = bytes.length - 81;
        java.util.Arrays.fill(bytes, macAt, bytes.length, (byte) 0);
        Files.write(snapshot, bytes);

        assertThat(verify()).anySatisfy(fault -> assertThat(fault).startsWith("snapshot.bin: it carries no MAC"));
        Stores.NOTICES.clear();
        try (CollectionsStore store = open(keyed)) {
            assertThat(Stores.NOTICES).anySatisfy(notice -> assertThat(notice)
                    .startsWith("snapshot.bin set aside, the whole log is replayed: ").contains("snapshot.bin: it carries no MAC"));
        }
    }
}

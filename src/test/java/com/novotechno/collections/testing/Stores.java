package com.novotechno.collections.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.StoreSettings;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Opening stores the way the service does, on a fixed clock, and reading a folder back. */
public final class Stores {

    public static final Instant NOW = Instant.parse("2026-03-15T10:00:00Z");
    public static final StoreSettings SETTINGS =
            new StoreSettings(Currency.getInstance("USD"), 30, Clock.fixed(NOW, ZoneOffset.UTC));

    public static final List<String> NOTICES = Collections.synchronizedList(new ArrayList<>());

    private Stores() {
    }

    public static CollectionsStore open(Path dataDir) throws IOException {
        return CollectionsStore.open(dataDir, SETTINGS, NOTICES::add);
    }

    public static CollectionsStore open(Storage storage, Path dataDir) throws IOException {
        return CollectionsStore.open(storage, dataDir, SETTINGS, NOTICES::add);
    }

    /** Every state file under state/, relative path to bytes. */
    public static Map<String, byte[]> stateFiles(Path dataDir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        Path state = dataDir.resolve("state");
        try (Stream<Path> walk = Files.walk(state)) {
            for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                files.put(state.relativize(file).toString(), Files.readAllBytes(file));
            }
        }
        return files;
    }

    /** Every state file as a storage sees it (the simulated disk too), relative path to text. */
    public static Map<String, String> stateFileTexts(Storage disk, Path dataDir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        Path state = dataDir.resolve("state");
        for (Path file : disk.listFilesRecursively(state)) {
            files.put(state.relativize(file).toString(), new String(disk.read(file, Integer.MAX_VALUE), StandardCharsets.UTF_8));
        }
        return files;
    }

    /**
     * Replays the folder's event log into {@code fresh} (an empty folder) and asserts that the
     * state files and the ledger come out byte for byte as they are. Returns the number of replayed entries.
     */
    public static long assertReplayReproducesState(Path dataDir, Path fresh) throws IOException {
        return assertReplayReproducesState(dataDir, fresh, SETTINGS);
    }

    /** The same, replayed with other settings (another clock, the same zone). */
    public static long assertReplayReproducesState(Path dataDir, Path fresh, StoreSettings settings) throws IOException {
        Files.createDirectories(fresh);
        Files.copy(dataDir.resolve("events.log"), fresh.resolve("events.log"));
        // The keys open the log's sealed personal values: the log and its keys are the truth together.
        if (Files.isDirectory(dataDir.resolve("keys"))) {
            Files.createDirectories(fresh.resolve("keys"));
            try (Stream<Path> keys = Files.list(dataDir.resolve("keys"))) {
                for (Path key : keys.toList()) {
                    Files.copy(key, fresh.resolve("keys").resolve(key.getFileName()));
                }
            }
        }
        long entries;
        try (CollectionsStore store = CollectionsStore.open(fresh, settings, NOTICES::add)) {
            entries = store.lastSeq();
        }
        Map<String, byte[]> original = stateFiles(dataDir);
        Map<String, byte[]> replayed = stateFiles(fresh);
        assertThat(replayed.keySet()).containsExactlyElementsOf(original.keySet());
        original.forEach((file, bytes) -> assertThat(replayed.get(file)).as(file).isEqualTo(bytes));
        assertThat(fresh.resolve("ledger.qmd")).as("the ledger replayed").hasSameBinaryContentAs(dataDir.resolve("ledger.qmd"));
        Map<String, byte[]> periods = periodFiles(dataDir);
        Map<String, byte[]> replayedPeriods = periodFiles(fresh);
        assertThat(replayedPeriods.keySet()).as("the period files replayed").containsExactlyElementsOf(periods.keySet());
        periods.forEach((file, bytes) -> assertThat(replayedPeriods.get(file)).as(file).isEqualTo(bytes));
        return entries;
    }

    /** The closed periods' ledger files, ledger/paid-YYYY-MM.qmd, name to bytes; none before a period closed. */
    private static Map<String, byte[]> periodFiles(Path dataDir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        Path periods = dataDir.resolve("ledger");
        if (Files.isDirectory(periods)) {
            try (Stream<Path> list = Files.list(periods)) {
                for (Path file : list.toList()) {
                    files.put(file.getFileName().toString(), Files.readAllBytes(file));
                }
            }
        }
        return files;
    }

    /** Every file anywhere under the folder whose name marks it as an unfinished atomic write. */
    public static List<Path> temporaryFiles(Path dataDir) throws IOException {
        try (Stream<Path> walk = Files.walk(dataDir)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }
}

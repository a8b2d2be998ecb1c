package com.novotechno.collections.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.novotechno.collections.config.Settings;
import com.novotechno.collections.dunning.DunningCandidate;
import com.novotechno.collections.dunning.DunningPlanner;
import com.novotechno.collections.dunning.DunningSettings;
import com.novotechno.collections.log.LogCorruptionException;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.Stores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The open invoices read from the log alone, for a dry run beside the service. */
class DunningCandidatesTest {

    private static final DunningSettings EVERY_DAY = DunningSettings.of(Settings.load(Map.of(),
            Map.of("collections.dunning.skip-days", "")));

    @TempDir
    Path data;

    private static List<DunningCandidate> byKey(List<DunningCandidate> candidates) {
        return candidates.stream().sorted(Comparator.comparing(c -> c.key().toString())).toList();
    }

    @Test
    void theLogGivesTheSameCandidatesAsTheRunningStoreWithoutItsLock() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(Messages.issued("i1", "ACME", "INV-1", "100.00", "USD"));
            store.apply(Messages.issued("i2", "ACME", "INV-2", "50.00", "USD"));
            store.apply(Messages.issued("i3", "ACME", "INV-3", "70.00", "USD"));
            store.apply(Messages.payment("p3", "ACME", "INV-3", "70.00", "USD"));
            store.requestDunning(DunningPlanner.plan(store.dunningCandidates(), LocalDate.of(2026, 3, 16), EVERY_DAY));

            // The store holds the folder's lock all along: the read neither needs nor takes it.
            List<DunningCandidate> fromLog = DunningCandidates.fromLog(new FileSystemStorage(), new DataLayout(data));

            assertThat(byKey(fromLog)).isEqualTo(byKey(store.dunningCandidates())).hasSize(2);
            assertThat(fromLog).allSatisfy(candidate -> assertThat(candidate.requested()).hasSize(1));
        }
    }

    @Test
    void aLogDamagedBeforeItsEndIsRefusedNotPlannedFromInPart() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(Messages.issued("i1", "ACME", "INV-1", "100.00", "USD"));
            store.apply(Messages.issued("i2", "ACME", "INV-2", "50.00", "USD"));
        }
        Path log = data.resolve("events.log");
        String text = Files.readString(log, StandardCharsets.UTF_8);
        Files.writeString(log, text.replaceFirst("100\\.00", "900.00"), StandardCharsets.UTF_8);

        assertThatThrownBy(() -> DunningCandidates.fromLog(new FileSystemStorage(), new DataLayout(data)))
                .isInstanceOf(LogCorruptionException.class).hasMessageContaining("events.log is damaged");
    }
}

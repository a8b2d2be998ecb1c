package com.novotechno.collections.state;

import static com.novotechno.collections.testing.Messages.issued;
import static com.novotechno.collections.testing.Messages.payment;

import com.novotechno.collections.domain.Money;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** What the snapshot tests share: a small folder, a snapshot put in place by hand, records in a stable order. */
final class SnapshotFolders {

    private SnapshotFolders() {
    }

    /** Two invoices in two currencies, one paid, one part paid, then a clean stop: a snapshot at seq 4. */
    static void fill(Path data) throws Exception {
        fill(data, Stores.SETTINGS);
    }

    /** As {@link #fill(Path)}, with {@code settings} (a MAC key, say). */
    static void fill(Path data, StoreSettings settings) throws Exception {
        try (CollectionsStore store = CollectionsStore.open(data, settings, Stores.NOTICES::add)) {
            store.apply(issued("i1", "acme", "INV-1", "100", "USD"));
            store.apply(issued("i2", "acme", "INV-2", "250", "EUR"));
            store.apply(payment("p1", "acme", "INV-1", "100", "USD"));
            store.apply(payment("p2", "acme", "INV-2", "50", "EUR"));
        }
    }

    /** Puts {@code contents} in place as the folder's snapshot, as the store writes one (so with a good checksum). */
    static void publish(Path data, StoreSnapshot.Contents contents) throws IOException {
        FileSystemStorage disk = new FileSystemStorage();
        StoreSnapshot.publish(disk, StoreSnapshot.writeTemporary(disk, data.resolve("snapshot.bin"), contents),
                data.resolve("snapshot.bin"));
    }

    /** {@code honest} but that INV-2 (250.00 EUR, 50.00 paid) is paid up: what a forger would serve. */
    static StoreSnapshot.Contents withInv2PaidUp(StoreSnapshot.Contents honest) {
        List<InvoiceRecord> forged = new ArrayList<>();
        for (InvoiceRecord record : honest.records()) {
            if (record.key().invoiceNumber().equals("INV-2")) {
                InvoiceState s = record.invoice().orElseThrow();
                Money eur = Money.parsePositive("250.00", s.amount().currency());
                InvoiceState paidUp = new InvoiceState(s.key(), s.amount(), Money.zero(eur.currency()), InvoiceStatus.PAID,
                        s.issuedOn(), s.dueOn(), s.contactEmail(), s.statusSince(), s.escalationReason(),
                        List.of(new InvoiceState.Payment(s.payments().get(0).seq(), "p2", eur, Optional.empty(), Optional.empty(),
                                s.payments().get(0).receivedOn())),
                        s.reminders(), s.dunning(), s.pause(), s.credits(), s.writtenOff(), s.closingReason(), s.amendments(),
                        s.lastSeq(), s.updatedAt());
                forged.add(new InvoiceRecord(record.key(), Optional.of(paidUp), record.unapplied(), record.lastSeq()));
            } else {
                forged.add(record);
            }
        }
        return new StoreSnapshot.Contents(honest.position(), honest.firstEvent(), honest.latestEvent(), honest.liveKeyIds(),
                forged, honest.clientPauses(), honest.locations());
    }

    static List<InvoiceRecord> sorted(List<InvoiceRecord> records) {
        return records.stream().sorted(Comparator.comparing((InvoiceRecord r) -> r.key().client())
                .thenComparing(r -> r.key().invoiceNumber())).toList();
    }

    /** A copy of a stopped folder, but its lock file. */
    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (!source.getFileName().toString().equals(".lock")) {
                    Files.copy(source, target);
                }
            }
        }
    }
}

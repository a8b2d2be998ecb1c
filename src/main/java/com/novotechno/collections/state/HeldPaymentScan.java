package com.novotechno.collections.state;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.domain.Limits;
import com.novotechno.collections.ledger.UnappliedRow;
import com.novotechno.collections.state.StateFileScan.Unreadable;
import com.novotechno.collections.storage.CorruptFileException;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.Storage;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads every held payments file ({@code state/unapplied/<client>/<invoice_number>.json}), each
 * checked against its checksum, as the ledger's Unapplied section would show it. A file removed
 * mid-scan (its payments applied beside a running service) is skipped.
 *
 * @param rows every held payment, in {@link UnappliedRow#ORDER}
 * @param newestSeq per key, the newest log entry its file reflects (a payment held or marked to refund)
 * @param unreadable files that could not be used, and why
 */
public record HeldPaymentScan(List<UnappliedRow> rows, Map<InvoiceKey, Long> newestSeq, List<Unreadable> unreadable) {

    public static HeldPaymentScan read(Storage storage, DataLayout layout) throws IOException {
        List<UnappliedRow> rows = new ArrayList<>();
        Map<InvoiceKey, Long> newestSeq = new HashMap<>();
        List<Unreadable> unreadable = new ArrayList<>();
        if (!storage.exists(layout.unappliedState())) {
            return new HeldPaymentScan(rows, newestSeq, unreadable);
        }
        for (Path file : storage.listFilesRecursively(layout.unappliedState())) {
            if (FileSystemStorage.isTemporaryFile(file)) {
                continue;
            }
            String relative = layout.root().relativize(file).toString();
            Optional<InvoiceKey> key = InvoiceFiles.keyOf(file);
            if (key.isEmpty() || !file.getParent().getParent().equals(layout.unappliedState())) {
                unreadable.add(new Unreadable(relative, "not a held payments file name"));
                continue;
            }
            try {
                byte[] bytes = storage.read(file, Limits.MAX_STATE_FILE_BYTES);
                List<HeldPayment> held = UnappliedFiles.decode(bytes, file);
                rows.addAll(UnappliedRows.of(key.get(), held));
                newestSeq.put(key.get(), held.stream().mapToLong(HeldPayment::newestSeq).max().orElse(0));
            } catch (NoSuchFileException appliedMeanwhile) {
                continue;
            } catch (CorruptFileException e) {
                unreadable.add(new Unreadable(relative, e.problem()));
            }
        }
        rows.sort(UnappliedRow.ORDER);
        return new HeldPaymentScan(List.copyOf(rows), Map.copyOf(newestSeq), List.copyOf(unreadable));
    }
}

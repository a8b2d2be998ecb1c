package com.novotechno.collections.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.bench.NoFsyncStorage;
import com.novotechno.collections.ledger.LedgerSection;
import com.novotechno.collections.ledger.ParsedLedger;
import com.novotechno.collections.reconcile.Reconciler.Mode;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Ledgers;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger at the scale the issue names: 100,000 invoices through the real store, rendered,
 * parsed back and reconciled exactly; then one edit among them found. The folder is filled
 * without fsyncs to keep the suite fast; what is tested here is size, not durability.
 */
class HundredThousandInvoicesTest {

    private static final int INVOICES = 100_000;

    @TempDir
    Path data;

    @Test
    void aHundredThousandInvoicesAreRenderedAndReconciled() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (CollectionsStore store = Stores.open(new NoFsyncStorage(), data)) {
            List<Future<?>> work = new ArrayList<>();
            for (int worker = 0; worker < 2; worker++) {
                int first = worker;
                work.add(pool.submit(() -> {
                    for (int i = first; i < INVOICES; i += 2) {
                        apply(store, i);
                    }
                    return null;
                }));
            }
            for (Future<?> done : work) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }
        ParsedLedger ledger = Ledgers.parse(data);
        assertThat(ledger.faults()).isEmpty();
        assertThat(ledger.content().allRows()).hasSize(INVOICES);
        assertThat(ledger.content().rows().get(LedgerSection.PAID)).hasSize(INVOICES / 10);
        assertThat(ledger.content().rows().get(LedgerSection.ESCALATED)).hasSize(INVOICES / 20);

        Reconciler reconciler = new Reconciler(new FileSystemStorage(), new DataLayout(data));
        ReconcileReport report = reconciler.reconcile(Mode.AT_REST);
        assertThat(report.differences()).isEmpty();
        assertThat(report.invoices()).isEqualTo(INVOICES);

        Path file = data.resolve("ledger.qmd");
        String text = Files.readString(file);
        String row = "| `INV-77773` | `client-73` | 2026-01-10 | 2026-02-09 | 100.00 | 100.00 | EUR |";
        assertThat(text).contains(row);
        Files.writeString(file, text.replace(row, row.replace("| 100.00 | 100.00 |", "| 100.00 | 10.00 |")));
        assertThat(reconciler.reconcile(Mode.AT_REST).differences()).extracting(d -> d.kind() + " " + d.subject())
                .containsExactly("LEDGER_EDITED ledger.qmd", "AMOUNT_DIFFERS client-73/INV-77773");
    }

    /** Every tenth invoice paid off, every tenth partly paid, every twentieth escalated; three currencies. */
    private static void apply(CollectionsStore store, int i) throws Exception {
        String client = "client-" + (i % 100);
        String invoice = "INV-" + i;
        String currency = List.of("USD", "EUR", "JPY").get(i % 3);
        String amount = currency.equals("JPY") ? "10000" : "100.00";
        store.apply(Messages.issued("i" + i, client, invoice, amount, currency));
        if (i % 10 == 1) {
            store.apply(Messages.payment("p" + i, client, invoice, amount, currency));
        } else if (i % 10 == 2) {
            store.apply(Messages.payment("p" + i, client, invoice, currency.equals("JPY") ? "2500" : "25.00", currency));
        } else if (i % 20 == 3) {
            store.apply(Messages.escalated("e" + i, client, invoice, "no answer"));
        }
    }
}

package com.novotechno.collections.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.domain.RejectedMessageException;
import com.novotechno.collections.reconcile.ReconcileReport;
import com.novotechno.collections.reconcile.Reconciler;
import com.novotechno.collections.status.PortfolioStatus;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.Stores;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No sequence of messages a producer may send can make a start, verify, rebuild, status or
 * reconcile fail: amounts at the cap in a currency without decimals and in one with three,
 * payments before their invoices, above balances and in other currencies, held payments that
 * expire, escalations, reminders, redeliveries and reused ids. Rejections are part of the traffic;
 * anything else thrown is a defect.
 */
class RandomValidTrafficTest {

    private static final String[] CURRENCIES = {"VND", "JPY", "USD", "BHD"};
    private static final BigDecimal CAP = BigDecimal.TEN.pow(12);
    private static final int MESSAGES = 400;
    private static final int INVOICES = 25;

    @TempDir
    Path data;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void anyValidTrafficLeavesAFolderThatOpensVerifiesRebuildsAndReconciles(long seed) throws Exception {
        Random random = new Random(seed);
        List<byte[]> sent = new ArrayList<>();
        int rejected = 0;
        try (CollectionsStore store = Stores.open(data)) {
            for (int i = 0; i < MESSAGES; i++) {
                byte[] message = random.nextInt(20) == 0 && !sent.isEmpty()
                        ? sent.get(random.nextInt(sent.size())) // a redelivery
                        : next(random, "m" + i);
                sent.add(message);
                try {
                    store.apply(message);
                } catch (RejectedMessageException e) {
                    rejected++;
                }
            }
        }
        Clock monthLater = Clock.fixed(Stores.NOW.plus(Duration.ofDays(31)), ZoneOffset.UTC);
        StoreSettings later = new StoreSettings(Currency.getInstance("USD"), 30, monthLater);
        try (CollectionsStore store = CollectionsStore.open(data, later, n -> { })) {
            store.expireUnapplied(Duration.ofHours(720));
            assertThat(store.auditStateFiles().repairs()).isEmpty();
        }
        assertThat(rejected).as("the traffic exercised the rules").isPositive().isLessThan(MESSAGES);

        DataLayout layout = new DataLayout(data);
        FileSystemStorage disk = new FileSystemStorage();
        assertThat(new StoreVerifier(disk, layout).verify().faults()).isEmpty();
        ReconcileReport reconciled = new Reconciler(disk, layout).reconcile(Reconciler.Mode.AT_REST);
        assertThat(reconciled.differences()).isEmpty();
        PortfolioStatus status = PortfolioStatus.of(StateFileScan.read(disk, layout, ZoneOffset.UTC), HeldPaymentScan.read(disk, layout), Stores.NOW.atZone(ZoneOffset.UTC).toLocalDate(),
                com.novotechno.collections.dunning.DunningSchedule.parse("7:reminder,14:final_notice,30:escalate"));
        assertThat(status.openCount()).isNotNegative();
        // On the clock of the last start, which closed the traffic's month (a period ends by the clock too).
        Stores.assertReplayReproducesState(data, data.resolveSibling(data.getFileName() + "-replayed"), later);
        StoreRebuilder.rebuild(disk, data, Stores.SETTINGS, n -> { });
        assertThat(new StoreVerifier(disk, layout).verify().faults()).isEmpty();
    }

    private static byte[] next(Random random, String id) {
        String invoice = "INV-" + random.nextInt(INVOICES);
        String currency = CURRENCIES[random.nextInt(CURRENCIES.length)];
        return switch (random.nextInt(10)) {
            case 0, 1, 2 -> Messages.issued(id, "client" + random.nextInt(3), invoice, amount(random, currency), currency);
            case 3, 4, 5, 6 -> Messages.payment(id, "client" + random.nextInt(3), invoice, amount(random, currency), currency);
            case 7 -> Messages.escalated(id, "client" + random.nextInt(3), invoice, "no reply");
            case 8 -> Messages.reminder(id, "client" + random.nextInt(3), invoice, "reminder");
            default -> Messages.issued("m0", "client0", invoice, "1", "USD"); // an id reused for other content
        };
    }

    /** Often the cap itself, else anything from the smallest unit up. */
    private static String amount(Random random, String currency) {
        int digits = Currency.getInstance(currency).getDefaultFractionDigits();
        if (random.nextInt(3) == 0) {
            return CAP.toPlainString();
        }
        BigDecimal value = CAP.multiply(BigDecimal.valueOf(random.nextDouble())).setScale(digits, RoundingMode.DOWN);
        return value.signum() > 0 ? value.toPlainString() : BigDecimal.ONE.movePointLeft(digits).toPlainString();
    }
}

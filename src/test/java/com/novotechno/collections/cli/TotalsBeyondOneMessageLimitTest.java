package com.novotechno.collections.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.ledger.CurrencyTotals;
import com.novotechno.collections.ledger.LedgerRenderer;
import com.novotechno.collections.ledger.LedgerSection;
import com.novotechno.collections.ledger.ParsedLedger;
import com.novotechno.collections.ledger.LedgerParser;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.StoreSettings;
import com.novotechno.collections.testing.CommandLineRunner;
import com.novotechno.collections.testing.Ledgers;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.Stores;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Currency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 10^12 limit is for one message's amount; totals of many messages go beyond it, and no
 * command may refuse a folder because of them (issue 9, item 1).
 */
class TotalsBeyondOneMessageLimitTest extends CommandLineRunner {

    private static final Currency VND = Currency.getInstance("VND");

    @TempDir
    Path temp;



    @Test
    void twoInvoicesWhoseSumExceedsTheMessageLimitKeepEveryCommandWorking() throws Exception {
        Path data = temp.resolve("data");
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(Messages.issued("i1", "ACME", "INV-1", "600000000000", "VND"));
            store.apply(Messages.issued("i2", "ACME", "INV-2", "600000000000", "VND"));
            store.flushLedger();
        }
        try (CollectionsStore reopened = Stores.open(data)) {
            assertThat(reopened.lastSeq()).isEqualTo(2);
        }

        ParsedLedger ledger = Ledgers.parse(data);
        assertThat(ledger.faults()).isEmpty();
        CurrencyTotals unpaid = ledger.content().totals().get(LedgerSection.UNPAID).get(VND);
        assertThat(unpaid.invoices()).isEqualTo(2);
        assertThat(unpaid.amount().toPlainString()).isEqualTo("1200000000000");
        assertThat(LedgerParser.parse("ledger.qmd", LedgerRenderer.render(ledger.content())).content())
                .isEqualTo(ledger.content());

        assertThat(run("status", "--data-dir", data.toString(), "--json")).as(err).isZero();
        JsonNode status = new ObjectMapper().readTree(out);
        assertThat(status.at("/sections/unpaid/totals/VND/amount").asText()).isEqualTo("1200000000000");
        assertThat(status.at("/ageing/VND/90+").asText()).isEqualTo("1200000000000");
        assertThat(run("status", "--data-dir", data.toString())).as(err).isZero();
        assertThat(out).containsPattern("Unpaid +VND +2 +1200000000000 +1200000000000");

        assertThat(run("reconcile", "--data-dir", data.toString())).as(out + err).isZero();
        assertThat(run("verify", "--data-dir", data.toString())).as(out + err).isZero();
        assertThat(run("rebuild", "--data-dir", data.toString())).as(out + err).isZero();
        assertThat(data.resolve("rebuild.inprogress")).doesNotExist();
        assertThat(run("reconcile", "--data-dir", data.toString())).as(out + err).isZero();
        // The commands ran on the system clock, which closed every month since the messages' (a period ends
        // by the clock too), and under the MAC key rebuild made: a replay on the same clock and key gives the same files.
        Stores.assertReplayReproducesState(data, temp.resolve("replayed"),
                new StoreSettings(Currency.getInstance("USD"), 30, Clock.systemUTC())
                        .withMacKeyFile(com.novotechno.collections.integrity.MacKeyFile.defaultPath(data)));
    }
}

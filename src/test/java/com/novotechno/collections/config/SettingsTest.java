package com.novotechno.collections.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.novotechno.collections.dunning.DunningSettings;
import com.novotechno.collections.service.ServiceSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.util.TimeUtils;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsTest {

    @Test
    void theContractDefaultsComeFromApplicationProperties() {
        Settings settings = Settings.load(Map.of(), Map.of());
        assertThat(settings.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(settings.get("collections.default-currency")).isEqualTo("USD");
        assertThat(settings.get("collections.terms-days")).isEqualTo("30");
        assertThat(settings.get("collections.reconcile.period")).isEqualTo("60s");
        assertThat(settings.get("collections.dunning.schedule")).isEqualTo("7:reminder,14:final_notice,30:escalate");
        assertThat(settings.get("collections.broker.url")).isEmpty();
    }

    @Test
    void everyDefaultInApplicationPropertiesParses() {
        Settings settings = Settings.load(Map.of(), Map.of());
        assertThat(settings.storeSettings()).isNotNull();
        assertThat(ServiceSettings.of(settings)).isNotNull();
        assertThat(DunningSettings.of(settings)).isNotNull();
    }

    @Test
    void durationsAreWrittenAsForCamelTimers() {
        Settings settings = Settings.load(Map.of(), Map.of(
                "collections.reconcile.period", "1h30m",
                "collections.unapplied.max-age", "30d",
                "collections.dunning.ack-timeout", "90000",
                "collections.outbox.retention", "5m30s500ms"));
        assertThat(settings.durationValue("collections.reconcile.period")).isEqualTo(Duration.ofMinutes(90));
        assertThat(settings.durationValue("collections.unapplied.max-age")).isEqualTo(Duration.ofHours(720));
        assertThat(settings.durationValue("collections.dunning.ack-timeout")).isEqualTo(Duration.ofSeconds(90));
        assertThat(settings.durationValue("collections.outbox.retention")).isEqualTo(Duration.ofMillis(330_500));
    }

    /** The timer routes read the same values through Camel: every form accepted here must mean the same there. */
    @ParameterizedTest
    @ValueSource(strings = {"500ms", "1s", "60s", "90", "5m", "1h30m", "720h", "1d", "2d3h4m5s6ms", "1s500ms", "1h1ms",
            "999999d"})
    void everyAcceptedDurationIsAsLongAsCamelReadsIt(String written) {
        Settings settings = Settings.load(Map.of(), Map.of("collections.outbox.retention", written));
        assertThat(settings.durationValue("collections.outbox.retention").toMillis())
                .isEqualTo(TimeUtils.toMilliSeconds(written));
    }

    @Test
    void aDurationCamelWouldReadAsZeroIsRefusedSayingWhichFormsAreTaken() {
        for (String bad : new String[] {"", "soon", "1w", "h", "1.5h", "-5s", "5s1m", "5ms1s", "1d1d", "1 s"}) {
            Settings settings = Settings.load(Map.of(), Map.of("collections.outbox.retention", bad));
            assertThatThrownBy(() -> settings.durationValue("collections.outbox.retention")).as(bad)
                    .hasMessage("collections.outbox.retention must be a duration: whole numbers of d, h, m, s and ms in that"
                            + " order, such as 500ms, 60s, 5m, 1h30m or 30d, or a number of milliseconds; found '" + bad + "'");
        }
    }

    @Test
    void aDurationBelowItsMinimumIsRefusedNamingTheMinimumAndTheValueAsWritten() {
        Settings settings = Settings.load(Map.of(), Map.of("collections.reconcile.period", "500ms"));
        assertThatThrownBy(() -> settings.durationValue("collections.reconcile.period", Duration.ofSeconds(1)))
                .hasMessage("collections.reconcile.period must be at least 1s, found '500ms'");
        assertThatThrownBy(() -> ServiceSettings.of(settings))
                .hasMessage("collections.reconcile.period must be at least 1s, found '500ms'");
        assertThat(ServiceSettings.of(Settings.load(Map.of(), Map.of("collections.reconcile.period", "1000ms")))
                .reconcile().period()).isEqualTo(Duration.ofSeconds(1));
        Settings unbounded = Settings.load(Map.of(), Map.of("collections.reconcile.period", "often"));
        assertThatThrownBy(() -> unbounded.durationValue("collections.reconcile.period", Duration.ofSeconds(1)))
                .hasMessageEndingWith("or a number of milliseconds, at least 1s; found 'often'");
        for (Map.Entry<String, String> tooShort : Map.of(
                "collections.reconcile.full-period", "59s",
                "collections.unapplied.max-age", "0",
                "collections.dunning.ack-timeout", "30s",
                "collections.outbox.retention", "59999ms").entrySet()) {
            Settings bad = Settings.load(Map.of(), Map.ofEntries(tooShort));
            assertThatThrownBy(() -> ServiceSettings.of(bad)).as(tooShort.getKey())
                    .hasMessageMatching(java.util.regex.Pattern.quote(tooShort.getKey()) + " must be at least 1(m|ms), found '"
                            + tooShort.getValue() + "'");
        }
    }

    @Test
    void theCommandLineBeatsTheEnvironmentWhichBeatsTheFile() {
        Map<String, String> environment = Map.of("COLLECTIONS_DATA_DIR", "/env", "COLLECTIONS_TERMS_DAYS", "10");
        Settings settings = Settings.load(environment, Map.of("collections.data-dir", "/cli"));
        assertThat(settings.dataDir()).isEqualTo(Path.of("/cli"));
        assertThat(settings.storeSettings().termsDays()).isEqualTo(10);
    }

    @Test
    void theExampleConfigurationFileHoldsOnlyKnownKeysWithValidValues() {
        Settings settings = Settings.load(Map.of(), Optional.of(Path.of("examples/collections.properties")), Map.of());
        assertThat(settings.get("collections.log.format")).isEqualTo("text");
        assertThat(settings.storeSettings()).isNotNull();
        assertThat(ServiceSettings.of(settings)).isNotNull();
    }

    @Test
    void environmentNamesAreTheKeysInCapitalsWithUnderscores() {
        assertThat(Settings.environmentName("collections.reconcile.period")).isEqualTo("COLLECTIONS_RECONCILE_PERIOD");
        assertThat(Settings.environmentName("collections.data-dir")).isEqualTo("COLLECTIONS_DATA_DIR");
    }

    @Test
    void unknownKeysAreRefused() {
        assertThatThrownBy(() -> Settings.load(Map.of(), Map.of("collections.data-dri", "x")))
                .hasMessageContaining("unknown configuration key 'collections.data-dri'");
    }
    @Test
    void aWithdrawnDefaultCurrencyIsRefusedAtStart() {
        Settings settings = Settings.load(Map.of(), Map.of("collections.default-currency", "DEM"));
        assertThatThrownBy(settings::storeSettings)
                .hasMessageStartingWith("collections.default-currency: 'DEM' is not a current ISO 4217 currency");
    }

    @Test
    void theInboxConsumersAreFourByDefaultAndFromOneTo64() {
        assertThat(ServiceSettings.of(Settings.load(Map.of(), Map.of())).inboxConsumers()).isEqualTo(4);
        for (String good : new String[] {"1", "64"}) {
            assertThat(ServiceSettings.of(Settings.load(Map.of(), Map.of("collections.inbox.consumers", good)))
                    .inboxConsumers()).isEqualTo(Integer.parseInt(good));
        }
        assertThat(ServiceSettings.of(Settings.load(Map.of("COLLECTIONS_INBOX_CONSUMERS", "8"), Map.of())).inboxConsumers())
                .isEqualTo(8);
        for (String bad : new String[] {"0", "65", "-1", "four", ""}) {
            Settings settings = Settings.load(Map.of(), Map.of("collections.inbox.consumers", bad));
            assertThatThrownBy(() -> ServiceSettings.of(settings))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("collections.inbox.consumers must be a whole number from 1 to 64, found '" + bad + "'");
        }
    }

    @Test
    void theLedgerPeriodIsAMonthAndAnyOtherValueIsRefusedByName() {
        assertThat(Settings.load(Map.of(), Map.of()).ledgerPeriod()).isEqualTo(com.novotechno.collections.ledger.LedgerPeriod.MONTH);
        for (String bad : List.of("week", "Month", "", "30d")) {
            Settings settings = Settings.load(Map.of(), Map.of("collections.ledger.period", bad));
            assertThatThrownBy(settings::storeSettings).as(bad)
                    .hasMessage("collections.ledger.period must be 'month' (the one period the ledger closes), found '" + bad + "'");
        }
    }
}

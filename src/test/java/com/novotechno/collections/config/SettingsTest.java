package com.novotechno.collections.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.novotechno.collections.dunning.DunningSettings;
import com.novotechno.collections.service.ServiceSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

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
                "collections.unapplied.max-age", "720h",
                "collections.dunning.ack-timeout", "90000",
                "collections.outbox.retention", "5m30s"));
        assertThat(settings.durationValue("collections.reconcile.period")).isEqualTo(Duration.ofMinutes(90));
        assertThat(settings.durationValue("collections.unapplied.max-age")).isEqualTo(Duration.ofHours(720));
        assertThat(settings.durationValue("collections.dunning.ack-timeout")).isEqualTo(Duration.ofSeconds(90));
        assertThat(settings.durationValue("collections.outbox.retention")).isEqualTo(Duration.ofSeconds(330));
    }

    @Test
    void aDurationCamelWouldReadAsZeroIsRefused() {
        for (String bad : new String[] {"", "soon", "1d", "h", "1.5h", "-5s", "5s1m"}) {
            Settings settings = Settings.load(Map.of(), Map.of("collections.outbox.retention", bad));
            assertThatThrownBy(() -> settings.durationValue("collections.outbox.retention"))
                    .hasMessage("collections.outbox.retention must be a duration such as 60s, 5m or 720h, found '" + bad + "'");
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

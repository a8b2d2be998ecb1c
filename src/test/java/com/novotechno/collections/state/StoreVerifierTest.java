package com.novotechno.collections.state;

import static com.novotechno.collections.testing.Messages.issued;
import static com.novotechno.collections.testing.Messages.payment;
import static com.novotechno.collections.testing.Messages.reminder;
import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.Stores;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreVerifierTest {

    @TempDir
    Path data;

    private StoreVerifier verifier;

    @BeforeEach
    void fillFolder() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(issued("i1", "client1", "INV-001", "100", "USD"));
            store.apply(issued("i2", "client1", "INV-002", "5", "EUR"));
            store.apply(payment("p1", "client1", "INV-001", "30", "USD"));
            store.apply(reminder("r1", "client1", "INV-002", "reminder"));
            store.apply(payment("p2", "client1", "INV-002", "5", "EUR"));
        }
        verifier = new StoreVerifier(new FileSystemStorage(), new DataLayout(data));
    }

    @Test
    void anIntactFolderVerifies() throws Exception {
        StoreVerifier.Report report = verifier.verify();
        assertThat(report.faults()).isEmpty();
        assertThat(report.stateFiles()).isEqualTo(2);
    }

    @Test
    void everyOneByteChangeToAStateFileIsDetected() throws Exception {
        Path file = data.resolve("state/open/client1/INV-001.json");
        byte[] original = Files.readAllBytes(file);
        for (int i = 0; i < original.length; i++) {
            for (int flip : new int[] {0x01, 0x20}) {
                byte[] damaged = original.clone();
                damaged[i] ^= (byte) flip;
                Files.write(file, damaged);
                assertThat(verifier.verify().faults()).as("byte %d ^ 0x%x", i, flip)
                        .anySatisfy(fault -> assertThat(fault).startsWith("state/open/client1/INV-001.json: "));
            }
        }
        Files.write(file, original);
        assertThat(verifier.verify().intact()).isTrue();
    }

    @Test
    void everyOneByteChangeToTheLogIsDetectedWithItsLine() throws Exception {
        Path log = data.resolve("events.log");
        byte[] original = Files.readAllBytes(log);
        for (int i = 0; i < original.length; i++) {
            byte[] damaged = original.clone();
            damaged[i] ^= 0x01;
            Files.write(log, damaged);
            int line = 1;
            for (int j = 0; j < i; j++) {
                if (original[j] == '\n') {
                    line++;
                }
            }
            assertThat(verifier.verify().faults()).as("byte %d", i)
                    .anySatisfy(fault -> assertThat(fault).startsWith("events.log:"));
            if (original[i] != '\n') {
                int expectedLine = line;
                assertThat(verifier.verify().faults()).as("byte %d", i)
                        .anySatisfy(fault -> assertThat(fault).startsWith("events.log:" + expectedLine + ": "));
            }
        }
    }

    @Test
    void aStateFileAheadOfTheLogIsReported() throws Exception {
        // The log lost its last entries (restored from an old backup, say) but the state did not.
        Path log = data.resolve("events.log");
        java.util.List<String> lines = Files.readAllLines(log);
        Files.write(log, lines.subList(0, 3));
        assertThat(verifier.verify().faults())
                .contains("state/archive/client1/INV-002.json: in the wrong folder: the log has invoice client1/INV-002"
                        + " as unpaid; reflects log seq 5, beyond the log's last entry for the invoice (2)");
    }

    @Test
    void aFileInTheWrongFolderIsReported() throws Exception {
        Path paid = data.resolve("state/archive/client1/INV-002.json");
        Path misplaced = data.resolve("state/archive/client1/INV-009.json");
        Files.move(paid, misplaced);
        assertThat(verifier.verify().faults()).containsExactly(
                "state/archive/client1/INV-009.json: holds invoice client1/INV-002, not client1/INV-009",
                "state/archive/client1/INV-002.json: missing; the log has invoice client1/INV-002 as paid at seq 5",
                "state/archive/client1/INV-009.json: the log has no invoice client1/INV-009");
    }
}

package com.novotechno.collections.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.ForwardingStorage;
import com.novotechno.collections.testing.DataFolders;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.Stores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** status and reconcile read every state file beside a running service, which moves files both ways. */
class StateFileScanTest {

    private static final InvoiceKey INV_1 = new InvoiceKey("ACME", "INV-1");

    @TempDir
    Path data;

    @Test
    void anInvoiceMovedBackOutOfTheArchiveWhileTheScanRunsIsStillSeen() throws Exception {
        try (CollectionsStore store = Stores.open(data)) {
            store.apply(Messages.issued("i1", "ACME", "INV-1", "100", "USD"));
            store.apply(Messages.payment("p1", "ACME", "INV-1", "100", "USD"));
        }
        Path archived = DataFolders.archivedStateFile(data, INV_1);
        Path reopened = DataFolders.openStateFile(data, INV_1);
        // A reversal lands after the scan listed open/ and before it lists archive/: the file moves archive -> open.
        ForwardingStorage racing = new ForwardingStorage(new FileSystemStorage()) {
            @Override
            public List<Path> listFilesRecursively(Path root) throws IOException {
                if (root.endsWith("archive") && Files.exists(archived)) {
                    Files.createDirectories(reopened.getParent());
                    Files.move(archived, reopened);
                }
                return super.listFilesRecursively(root);
            }
        };

        StateFileScan scan = StateFileScan.read(racing, new DataLayout(data), ZoneOffset.UTC);

        assertThat(scan.rows()).containsKey(INV_1);
        assertThat(scan.unreadable()).isEmpty();
    }

    /** More files than one read task takes, so several threads share them, and damaged files in different tasks. */
    private DataLayout aBookOfSeveralTasks() throws IOException {
        try (CollectionsStore store = Stores.open(data)) {
            List<byte[]> issued = new java.util.ArrayList<>();
            for (int i = 0; i < 1_200; i++) {
                issued.add(Messages.issued("i" + i, "C" + (i % 7), String.format("INV-%04d", i), "10.00", "USD"));
            }
            store.applyBatch(issued);
        }
        Files.writeString(DataFolders.openStateFile(data, new InvoiceKey("C6", "INV-1196")), "{}");
        Files.writeString(DataFolders.openStateFile(data, new InvoiceKey("C0", "INV-0007")), "{}");
        Files.writeString(data.resolve("state/open/C3/not a name.json"), "{}");
        return new DataLayout(data);
    }

    @Test
    void readingOnSeveralThreadsGivesExactlyWhatOneThreadReads() throws Exception {
        DataLayout layout = aBookOfSeveralTasks();

        StateFileScan one;
        try (ReadPool pool = ReadPool.of(1)) {
            one = StateFileScan.read(new FileSystemStorage(), layout, ZoneOffset.UTC, pool);
        }
        StateFileScan four;
        try (ReadPool pool = ReadPool.of(ReadPool.MAX_THREADS)) {
            four = StateFileScan.read(new FileSystemStorage(), layout, ZoneOffset.UTC, pool);
        }

        assertThat(four.rows()).hasSize(1_198).isEqualTo(one.rows());
        assertThat(four.unreadable()).extracting(StateFileScan.Unreadable::file).as("in the order listed").containsExactly(
                "state/open/C0/INV-0007.json", "state/open/C3/not a name.json", "state/open/C6/INV-1196.json");
        assertThat(four.unreadable()).isEqualTo(one.unreadable());
        StateFileScan atRest;
        try (ReadPool pool = ReadPool.of(2)) {
            atRest = StateFileScan.read(new FileSystemStorage(), layout, ZoneOffset.UTC, pool, false);
        }
        assertThat(atRest).as("with no writer, open/ listed once, the same").isEqualTo(four);
    }

    @Test
    void aFileThatCannotBeReadFailsTheScanRatherThanLeavingTheInvoiceOut() throws Exception {
        DataLayout layout = aBookOfSeveralTasks();
        Path failing = DataFolders.openStateFile(data, new InvoiceKey("C5", "INV-0005"));
        ForwardingStorage disk = new ForwardingStorage(new FileSystemStorage()) {
            @Override
            public byte[] read(Path file, int maxBytes) throws IOException {
                if (file.equals(failing)) {
                    throw new IOException("Input/output error");
                }
                return super.read(file, maxBytes);
            }
        };

        assertThatThrownBy(() -> StateFileScan.read(disk, layout, ZoneOffset.UTC))
                .isInstanceOf(IOException.class).hasMessage("Input/output error");
    }
}

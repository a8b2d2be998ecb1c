package com.novotechno.collections.state;

import static org.assertj.core.api.Assertions.assertThat;

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
}

package com.novotechno.collections.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.testing.KeyedFolderSupport;
import com.novotechno.collections.testing.Messages;
import com.novotechno.collections.testing.Stores;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's review, on snapshot.bin: in a keyed folder a snapshot is trusted over the log's lines before
 * it only when it carries a MAC, whatever line it stands at.
 */
class Review14SnapshotTest extends KeyedFolderSupport {

    @Test
    void aForgedSnapshotWithoutAMacAtALineBeforeTheKeyIsSetAsideNotServed() throws Exception {
        SnapshotFolders.fill(data); // four lines and a snapshot at seq 4, before the key existed
        StoreSnapshot.Contents honest = StoreSnapshot.read(new FileSystemStorage(), data.resolve("snapshot.bin"));
        try (CollectionsStore store = open(keyed)) {
            store.apply(Messages.issued("i3", "acme", "INV-3", "10", "USD")); // keyed from seq 5 on
        }
        // The forger puts back a snapshot at seq 4, below keyed_since, where none needed a MAC, INV-2 paid up.
        SnapshotFolders.publish(data, SnapshotFolders.withInv2PaidUp(honest));

        Stores.NOTICES.clear();
        try (CollectionsStore store = open(keyed)) {
            assertThat(Stores.NOTICES).anySatisfy(notice -> assertThat(notice)
                    .startsWith("snapshot.bin set aside, the whole log is replayed: ").contains("it carries no MAC"));
            assertThat(store.find(new InvoiceKey("acme", "INV-2")).orElseThrow().balance().toPlainString()).isEqualTo("200.00");
        }
    }
}

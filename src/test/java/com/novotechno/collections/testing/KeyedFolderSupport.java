package com.novotechno.collections.testing;

import com.novotechno.collections.integrity.FolderKeying;
import com.novotechno.collections.state.CollectionsStore;
import com.novotechno.collections.state.StoreSettings;
import com.novotechno.collections.state.StoreVerifier;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import com.novotechno.collections.storage.Keying;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a test of tamper evidence extends: a data folder of its own and its MAC key file outside it,
 * opened as the store and verified as {@code verify} does, with the key when its file is there.
 */
public abstract class KeyedFolderSupport {

    @TempDir
    protected Path temp;
    protected Path data;
    protected Path keyFile;
    /** The store's settings with the key file: a start makes the key if there is none. */
    protected StoreSettings keyed;

    @BeforeEach
    void keyedFolder() {
        data = temp.resolve("data");
        keyFile = temp.resolve("config/keys/data.key");
        keyed = Stores.SETTINGS.withMacKeyFile(keyFile);
    }

    protected CollectionsStore open(StoreSettings settings) throws IOException {
        return CollectionsStore.open(data, settings, Stores.NOTICES::add);
    }

    /** verify's faults, MACs checked when the key file is there. */
    protected List<String> verify() throws IOException {
        Keying keying = FolderKeying.forReader(keyFile, notice -> { });
        return new StoreVerifier(new FileSystemStorage(), new DataLayout(data).withKeying(keying)).verify().faults();
    }
}

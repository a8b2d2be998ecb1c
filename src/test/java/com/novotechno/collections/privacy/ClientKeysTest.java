package com.novotechno.collections.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.novotechno.collections.storage.CorruptFileException;
import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientKeysTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dataDir;

    private final FileSystemStorage storage = new FileSystemStorage();

    private Path keysDir() {
        return new DataLayout(dataDir).keys();
    }

    private ClientKeys open() throws Exception {
        return ClientKeys.open(storage, keysDir(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void aFullKeysFolderRefusesANewKeyAndStillHasRoomForErasureMarksSoItAlwaysOpens() throws Exception {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        ClientKeys keys = ClientKeys.open(storage, keysDir(), clock, 2);
        keys.currentKeyId("a");
        keys.currentKeyId("b");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> keys.currentKeyId("c"))
                .isInstanceOf(ClientKeys.Full.class).hasMessageContaining("no key for a new client c");
        // Erasures of clients that never had a key still leave their marks, up to twice the keys.
        for (String client : List.of("ghost1", "ghost2")) {
            keys.requireRoomToErase(client);
            keys.markErased(client, keys.generationToErase(client));
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> keys.requireRoomToErase("ghost3"))
                .isInstanceOf(ClientKeys.Full.class).hasMessageContaining("no room for the erasure mark of client ghost3");
        assertThat(ClientKeys.open(storage, keysDir(), clock, 2).find("a.1")).isPresent();
    }

    @Test
    void aKeyIsCreatedOnFirstUseOwnerOnlyAndSurvivesReopening() throws Exception {
        ClientKeys keys = open();
        assertThat(keysDir()).doesNotExist(); // opening alone writes nothing

        assertThat(keys.currentKeyId("acme")).isEqualTo("acme.1");
        assertThat(keys.currentKeyId("acme")).isEqualTo("acme.1");

        Path file = keysDir().resolve("acme.1.key");
        assertThat(filesIn(keysDir())).containsExactly(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keysDir()))).isEqualTo("rwx------");
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.get("key_id").textValue()).isEqualTo("acme.1");
        assertThat(json.get("client").textValue()).isEqualTo("acme");
        assertThat(json.get("generation").intValue()).isEqualTo(1);
        assertThat(json.get("created_at").textValue()).isEqualTo(NOW.toString());
        assertThat(json.get("_checksum").textValue()).hasSize(64);
        byte[] secret = Base64.getDecoder().decode(json.get("key").textValue());
        assertThat(secret).hasSize(32);
        assertThat(keys.find("acme.1").orElseThrow().getEncoded()).isEqualTo(secret);

        ClientKeys reopened = open();
        assertThat(reopened.find("acme.1").orElseThrow().getEncoded()).isEqualTo(secret);
        assertThat(reopened.currentKeyId("acme")).isEqualTo("acme.1");
        assertThat(filesIn(keysDir())).containsExactly(file);
    }

    @Test
    void eachClientHasItsOwnKeyAndDottedNamesStayApart() throws Exception {
        ClientKeys keys = open();
        assertThat(keys.currentKeyId("acme")).isEqualTo("acme.1");
        assertThat(keys.currentKeyId("acme.1")).isEqualTo("acme.1.1");
        assertThat(keys.find("acme.1").orElseThrow().getEncoded())
                .isNotEqualTo(keys.find("acme.1.1").orElseThrow().getEncoded());
        assertThat(keys.find("acme.2")).isEmpty();
        assertThat(keys.find("nobody.1")).isEmpty();
    }

    @Test
    void concurrentFirstUsesCreateOneKey() throws Exception {
        ClientKeys keys = open();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> ids = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            ids.add(pool.submit(() -> {
                start.await();
                return keys.currentKeyId("acme");
            }));
        }
        start.countDown();
        Set<String> distinct = new HashSet<>();
        for (Future<String> id : ids) {
            distinct.add(id.get());
        }
        pool.shutdown();
        assertThat(distinct).containsExactly("acme.1");
        assertThat(filesIn(keysDir())).containsExactly(keysDir().resolve("acme.1.key"));
    }

    @Test
    void destroyRemovesTheKeyForGoodAndTheNextKeyIsGenerationTwo() throws Exception {
        ClientKeys keys = open();
        keys.currentKeyId("acme");
        keys.currentKeyId("beta");
        byte[] first = keys.find("acme.1").orElseThrow().getEncoded();

        assertThat(keys.destroy("acme")).isEqualTo(1);
        assertThat(keys.destroy("acme")).isEqualTo(1); // idempotent
        assertThat(keys.find("acme.1")).isEmpty();
        assertThat(keysDir().resolve("acme.1.key")).doesNotExist();
        assertThat(filesIn(keysDir())).containsExactly(keysDir().resolve("acme.erased"), keysDir().resolve("beta.1.key"));
        assertThat(Files.readString(keysDir().resolve("acme.erased"))).doesNotContain(Base64.getEncoder().encodeToString(first));

        assertThat(keys.currentKeyId("acme")).isEqualTo("acme.2");
        assertThat(keys.find("acme.2").orElseThrow().getEncoded()).isNotEqualTo(first);
        assertThat(keys.find("beta.1")).isPresent();

        ClientKeys reopened = open();
        assertThat(reopened.find("acme.1")).isEmpty();
        assertThat(reopened.find("acme.2")).isPresent();
        assertThat(reopened.currentKeyId("acme")).isEqualTo("acme.2");
        assertThat(reopened.destroy("acme")).isEqualTo(2);
        assertThat(reopened.currentKeyId("acme")).isEqualTo("acme.3");
    }

    @Test
    void aClientThatNeverHadAKeyHasNothingToDestroy() throws Exception {
        ClientKeys keys = open();
        assertThat(keys.destroy("acme")).isZero();
        assertThat(keysDir()).doesNotExist();
        assertThat(keys.currentKeyId("acme")).isEqualTo("acme.1");
    }

    @Test
    void aDestroyTheLogNeverHeardOfStillNeverReusesAGeneration() throws Exception {
        ClientKeys keys = open();
        keys.currentKeyId("acme");
        keys.destroy("acme");

        // Reopened without any markErased: as after a crash between destroying and logging.
        assertThat(open().currentKeyId("acme")).isEqualTo("acme.2");
    }

    @Test
    void anErasureReplayedFromTheLogDestroysAKeyLeftBehindAndSetsTheNextGeneration() throws Exception {
        ClientKeys keys = open();
        keys.currentKeyId("acme");

        // As after a crash between logging the erasure and destroying the key.
        ClientKeys reopened = open();
        reopened.markErased("acme", 1);
        assertThat(reopened.find("acme.1")).isEmpty();
        assertThat(keysDir().resolve("acme.1.key")).doesNotExist();
        assertThat(reopened.currentKeyId("acme")).isEqualTo("acme.2");

        // The keys folder lost, the log remembers: generations are not reused either.
        ClientKeys fresh = ClientKeys.open(storage, dataDir.resolve("other-keys"));
        fresh.markErased("beta", 3);
        fresh.markErased("beta", 2);
        assertThat(fresh.currentKeyId("beta")).isEqualTo("beta.4");
        // A later generation than the one the log erased stays.
        fresh.markErased("beta", 3);
        assertThat(fresh.find("beta.4")).isPresent();
    }

    @Test
    void aKeyFileBesideAMarkCoveringItIsDeletedAtOpen() throws Exception {
        ClientKeys keys = open();
        keys.currentKeyId("acme");
        Path keyFile = keysDir().resolve("acme.1.key");
        byte[] saved = Files.readAllBytes(keyFile);
        keys.destroy("acme");
        Files.write(keyFile, saved); // as if the destroy crashed after writing its mark

        ClientKeys reopened = open();
        assertThat(keyFile).doesNotExist();
        assertThat(reopened.find("acme.1")).isEmpty();
        assertThat(reopened.currentKeyId("acme")).isEqualTo("acme.2");
    }

    @Test
    void aDamagedKeyFileIsRefusedNamingIt() throws Exception {
        open().currentKeyId("acme");
        Path keyFile = keysDir().resolve("acme.1.key");
        String json = Files.readString(keyFile);
        String key = new ObjectMapper().readTree(json).get("key").textValue();
        char flipped = key.charAt(0) == 'A' ? 'B' : 'A';
        Files.writeString(keyFile, json.replace(key, flipped + key.substring(1)));

        assertThatThrownBy(this::open)
                .isInstanceOf(CorruptFileException.class)
                .hasMessageContaining(keyFile.toString())
                .hasMessageContaining("checksum mismatch");
        assertThat(keyFile).exists(); // refused, never taken for erased
    }

    @Test
    void aKeyFileUnderAnotherNameIsRefused() throws Exception {
        open().currentKeyId("acme");
        Path renamed = keysDir().resolve("beta.1.key");
        Files.move(keysDir().resolve("acme.1.key"), renamed);
        assertThatThrownBy(this::open)
                .isInstanceOf(CorruptFileException.class)
                .hasMessageContaining(renamed.toString())
                .hasMessageContaining("not the one its name says");
    }

    @Test
    void aSecondLiveKeyOfOneClientIsRefused() throws Exception {
        open().currentKeyId("acme");
        ClientKeys elsewhere = ClientKeys.open(storage, dataDir.resolve("elsewhere"));
        elsewhere.markErased("acme", 1);
        elsewhere.currentKeyId("acme");
        Files.copy(dataDir.resolve("elsewhere").resolve("acme.2.key"), keysDir().resolve("acme.2.key"));

        assertThatThrownBy(this::open)
                .isInstanceOf(CorruptFileException.class)
                .hasMessageContaining("acme.2.key")
                .hasMessageContaining("second live key of client acme");
    }

    @Test
    void anUnknownFileIsRefusedAndATemporaryFileIgnored() throws Exception {
        open().currentKeyId("acme");
        Files.writeString(keysDir().resolve(".acme.2.key.123.tmp"), "half a key");
        assertThat(open().currentKeyId("acme")).isEqualTo("acme.1");

        Path stray = keysDir().resolve("notes.txt");
        Files.writeString(stray, "hello");
        assertThatThrownBy(this::open)
                .isInstanceOf(CorruptFileException.class)
                .hasMessageContaining(stray.toString());
    }

    @Test
    void invalidClientsAndKeyIdsAreRefused() throws Exception {
        ClientKeys keys = open();
        assertThatThrownBy(() -> keys.currentKeyId("../etc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys.currentKeyId(".hidden")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys.find("acme")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> keys.markErased("acme", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(keysDir()).doesNotExist();
    }

    @Test
    void keyIdsParseAtTheLastDotWithOneSpellingEach() {
        assertThat(KeyId.parse("acme.inc.3")).isEqualTo(new KeyId("acme.inc", 3));
        assertThat(KeyId.parse("acme.999999")).isEqualTo(new KeyId("acme", KeyId.MAX_GENERATION));
        assertThat(new KeyId("acme", 12)).hasToString("acme.12");
        for (String bad : new String[] {"acme", "acme.", "acme.0", "acme.01", "acme.1000000", "acme.-1", ".acme.1",
                "a/b.1", "acme.1 ", "acme.1\n", "x".repeat(65) + ".1"}) {
            assertThat(KeyId.isValid(bad)).as(bad).isFalse();
        }
        assertThat(KeyId.isValid(null)).isFalse();
    }

    static List<Path> filesIn(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }
}

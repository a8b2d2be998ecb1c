package com.novotechno.collections.camel;

import static org.assertj.core.api.Assertions.assertThat;

import com.novotechno.collections.storage.DataLayout;
import com.novotechno.collections.storage.FileSystemStorage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.component.file.GenericFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inbox's gate as the file route's poll asks it, poll after poll: what it lets through and what it says. */
class InboxFilterTest {

    @TempDir
    Path data;

    private DataLayout layout;
    private final List<String> warnings = new ArrayList<>();

    @BeforeEach
    void inbox() throws Exception {
        layout = new DataLayout(data);
        Files.createDirectories(layout.inbox());
    }

    private InboxFilter filter(int maxRemembered) {
        return new InboxFilter(new FileSystemStorage(), layout, Clock.systemUTC(), warnings::add, maxRemembered);
    }

    private static GenericFile<File> entry(Path path) {
        GenericFile<File> file = new GenericFile<>();
        file.setFile(path.toFile());
        file.setFileNameOnly(path.getFileName().toString());
        return file;
    }

    @Test
    void aFileWithANameTheInboxDoesNotReadIsWarnedAboutOnceAndLeftWhereItIs() throws Exception {
        Path notes = Files.writeString(layout.inbox().resolve("invoice-4711.txt"), "{}");
        InboxFilter filter = filter(100);
        for (int poll = 0; poll < 3; poll++) {
            assertThat(filter.accept(entry(notes))).isFalse();
        }
        assertThat(warnings).containsExactly("inbox: invoice-4711.txt is not read and stays in the inbox: only regular"
                + " files named *.json (not starting with '.') are read; a name ending in .tmp is taken as a file still"
                + " being written");
        assertThat(notes).exists();
    }

    @Test
    void aFolderIsWarnedAboutOnceAndNotEntered() throws Exception {
        Path folder = Files.createDirectory(layout.inbox().resolve("march"));
        InboxFilter filter = filter(100);
        assertThat(filter.accept(entry(folder))).isFalse();
        assertThat(filter.accept(entry(folder))).isFalse();
        assertThat(warnings).singleElement().asString().startsWith("inbox: march is a directory, not read and left in"
                + " the inbox: only regular files named *.json");
    }

    @Test
    void aMessageFileAndAFileStillBeingWrittenPassWithoutAWord() throws Exception {
        Path message = Files.writeString(layout.inbox().resolve("a.json"), "{}");
        Path writing = Files.writeString(layout.inbox().resolve("b.json.tmp"), "{");
        InboxFilter filter = filter(100);
        assertThat(filter.accept(entry(message))).isTrue();
        assertThat(filter.accept(entry(writing))).isFalse();
        assertThat(warnings).isEmpty();
    }

    @Test
    void itRemembersAtMostItsLimitOfNamesThenSaysOnceThatTheRestGoUnnamed() throws Exception {
        InboxFilter filter = filter(3);
        List<Path> strays = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            strays.add(Files.writeString(layout.inbox().resolve("stray-" + i + ".txt"), ""));
        }
        for (int poll = 0; poll < 2; poll++) {
            strays.forEach(stray -> assertThat(filter.accept(entry(stray))).isFalse());
        }
        assertThat(warnings).hasSize(4);
        assertThat(warnings.subList(0, 3)).allSatisfy(warning -> assertThat(warning).startsWith("inbox: stray-"));
        assertThat(warnings.get(3)).isEqualTo("inbox: more than 3 entries are not read; the others are not named until"
                + " the service restarts");
    }

    @Test
    void aNameWithControlCharactersIsWarnedAboutEscaped() throws Exception {
        Path hostile = Files.writeString(layout.inbox().resolve("x\u001b[2J.txt"), "");
        filter(100).accept(entry(hostile));
        assertThat(warnings).singleElement().asString().startsWith("inbox: x\\u001B[2J.txt is not read")
                .doesNotContain("\u001b");
    }
}

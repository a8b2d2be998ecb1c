package com.novotechno.collections.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocumentedDefaultsTest {

    @Test
    void everyKeyOfApplicationPropertiesHasItsDefaultAndAComment() {
        List<DocumentedDefaults.Group> groups = DocumentedDefaults.read();
        Map<String, String> defaults = Settings.load(Map.of(), Map.of()).all();
        assertThat(groups.stream().flatMap(group -> group.defaults().entrySet().stream()))
                .containsExactlyInAnyOrderElementsOf(defaults.entrySet());
        assertThat(groups).allSatisfy(group -> assertThat(group.comment()).as(group.defaults().keySet().toString())
                .isNotBlank());
    }

    @Test
    void keysUnderOneCommentShareItAndTheFilesHeaderBelongsToNone() {
        List<DocumentedDefaults.Group> groups = DocumentedDefaults.parse("""
                # The header,
                # set apart by a blank line.

                # Where.
                a.dir=./data
                # Two keys,
                # one comment.
                b.host=0.0.0.0
                b.port = 61617
                c.empty=
                """);
        assertThat(groups).containsExactly(
                new DocumentedDefaults.Group(Map.of("a.dir", "./data"), "Where."),
                new DocumentedDefaults.Group(Map.of("b.host", "0.0.0.0", "b.port", "61617", "c.empty", ""),
                        "Two keys, one comment."));
        assertThat(groups.get(1).defaults().keySet()).containsExactly("b.host", "b.port", "c.empty");
    }

    @Test
    void aLineItCannotReadAsOneKeyIsAFaultOfTheFileNotAGuess() {
        assertThatThrownBy(() -> DocumentedDefaults.parse("# x\na.b=one \\\n  two\n"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot read the line 'two'");
    }
}

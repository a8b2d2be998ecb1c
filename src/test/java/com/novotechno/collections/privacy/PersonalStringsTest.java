package com.novotechno.collections.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An address is found only as a whole: not inside a longer address, in decoded text as in any file's bytes. */
class PersonalStringsTest {

    private static final PersonalStrings BOB = new PersonalStrings(List.of("bob@x.example"));
    private static final PersonalStrings ZOE = new PersonalStrings(List.of("zoë@example.com"));

    /** The address as a whole, however it is quoted or ends a sentence. */
    private static final List<String> WHOLE = List.of("bob@x.example", "\"bob@x.example\"", "<bob@x.example>", "mail bob@x.example.",
            "mail bob@x.example. Thanks", "to: bob@x.example, cc", "'bob@x.example'", "(bob@x.example)", "bob@x.example;other",
            "jimbob@x.example or bob@x.example"); // a longer one first, then the address itself
    /** Other addresses that hold it. */
    private static final List<String> INSIDE_ANOTHER = List.of("jimbob@x.example", "bob@x.example.org", "bob@x.example.org.",
            "jim.bob@x.example", "jim+bob@x.example", "jim-bob@x.example", "jim_bob@x.example", "jim%bob@x.example",
            "bob@x.examples", "bob@x.example-1.org", "bob@x.example..", "x bob@x.example_y", "bob@x.example%y");

    @Test
    void decodedTextMatchesTheAddressOnlyAsAWhole() {
        for (String text : WHOLE) {
            assertThat(BOB.foundInText(text)).as(text).isTrue();
        }
        for (String text : INSIDE_ANOTHER) {
            assertThat(BOB.foundInText(text)).as(text).isFalse();
        }
        assertThat(ZOE.foundInText("an é before: ézoë@example.com")).isTrue(); // only ASCII address characters bound it
        assertThat(ZOE.foundInText("line one\nzoë@example.com")).isTrue();
    }

    @Test
    void bytesMatchTheAddressOnlyAsAWhole() throws IOException {
        for (String text : WHOLE) {
            assertThat(BOB.foundIn(stream(text))).as(text).isTrue();
        }
        for (String text : INSIDE_ANOTHER) {
            assertThat(BOB.foundIn(stream(text))).as(text).isFalse();
        }
    }

    @Test
    void escapedFormsInBytesAreBoundedTheSameWay() throws IOException {
        // the address JSON-escaped (Jackson's ESCAPE_NON_ASCII, Python's lower-case hex)
        assertThat(ZOE.foundIn(stream("{\"to\": \"zo\\u00EB@example.com\"} garbage"))).isTrue();
        assertThat(ZOE.foundIn(stream("garbage \"zo\\u00eb@example.com.\""))).isTrue();
        assertThat(ZOE.foundIn(stream("garbage \"jimzo\\u00eb@example.com\""))).isFalse();
        assertThat(ZOE.foundIn(stream("garbage \"zo\\u00eb@example.com.org\""))).isFalse();
        assertThat(ZOE.foundIn(stream("garbage \"zoë@example.com.org\""))).isFalse();
        // a JSON escape just before the address ends the previous word: \n, \t, a non-address character as \\uXXXX
        assertThat(BOB.foundIn(stream("garbage \"line one\\nbob@x.example\""))).isTrue();
        assertThat(BOB.foundIn(stream("garbage \"col\\tbob@x.example\""))).isTrue();
        assertThat(BOB.foundIn(stream("garbage \"\\u00e9bob@x.example\""))).isTrue();
        assertThat(BOB.foundIn(stream("garbage \"\\\"bob@x.example\\\"\""))).isTrue();
        // ... but not an escaped backslash followed by a letter, nor an address character written as an escape
        assertThat(BOB.foundIn(stream("garbage \"C:\\\\nbob@x.example\""))).isFalse();
        assertThat(BOB.foundIn(stream("garbage \"\\u006Abob@x.example\""))).isFalse();
    }

    @Test
    void boundariesAreCheckedAcrossChunkBoundaries() throws IOException {
        // Every offset around the first two chunk ends, with room for the look-back before and the look-ahead after.
        for (int chunkEnd : new int[] {PersonalStrings.CHUNK_BYTES, 2 * PersonalStrings.CHUNK_BYTES}) {
            for (int at = chunkEnd - 40; at <= chunkEnd + 2 * PersonalStrings.LOOK_BACK_BYTES + 40; at++) {
                assertThat(BOB.foundIn(placed("<bob@x.example>", at))).as("whole at " + at).isTrue();
                assertThat(BOB.foundIn(placed("\\nbob@x.example.", at))).as("after an escape at " + at).isTrue();
                assertThat(BOB.foundIn(placed("jimbob@x.example", at))).as("longer before at " + at).isFalse();
                assertThat(BOB.foundIn(placed("bob@x.example.org", at))).as("longer after at " + at).isFalse();
                assertThat(BOB.foundIn(placed("\\\\nbob@x.example", at))).as("escaped backslash at " + at).isFalse();
            }
        }
    }

    @Test
    void anAddressAtTheVeryStartOrEndOfAStreamIsBounded() throws IOException {
        int size = 3 * PersonalStrings.CHUNK_BYTES;
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) ' ');
        byte[] address = utf8("bob@x.example");
        System.arraycopy(address, 0, bytes, 0, address.length);
        assertThat(BOB.foundIn(new ByteArrayInputStream(bytes))).isTrue();
        Arrays.fill(bytes, (byte) ' ');
        System.arraycopy(address, 0, bytes, size - address.length, address.length);
        assertThat(BOB.foundIn(new ByteArrayInputStream(bytes))).isTrue();
        bytes[size - address.length - 1] = 'm';
        assertThat(BOB.foundIn(new ByteArrayInputStream(bytes))).isFalse();
        bytes = Arrays.copyOf(bytes, size + 1);
        bytes[size - address.length - 1] = ' ';
        bytes[size] = '.';
        assertThat(BOB.foundIn(new ByteArrayInputStream(bytes))).isTrue(); // a full stop at the very end
    }

    /** {@code text} at byte {@code at} of three chunks of spaces. */
    private static ByteArrayInputStream placed(String text, int at) {
        byte[] bytes = new byte[3 * PersonalStrings.CHUNK_BYTES];
        Arrays.fill(bytes, (byte) ' ');
        byte[] placed = utf8(text);
        System.arraycopy(placed, 0, bytes, at, placed.length);
        return new ByteArrayInputStream(bytes);
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(utf8(text));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

package com.novotechno.collections.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {

    @Test
    void controlCharactersBidiOverridesAndLineSeparatorsAreEscaped() {
        assertThat(Printable.escape("a\u001B[2Jb")).isEqualTo("a\\u001B[2Jb");
        assertThat(Printable.escape("\u0000\t\n\r\u007F\u009B")).isEqualTo("\\u0000\\u0009\\u000A\\u000D\\u007F\\u009B");
        assertThat(Printable.escape("pay\u202Eyap\u2066\u2028\u2029")).isEqualTo("pay\\u202Eyap\\u2066\\u2028\\u2029");
        assertThat(Printable.escape("tag\uDB40\uDC01")).isEqualTo("tag\\u{E0001}");
    }

    @Test
    void printableTextIncludingNonAsciiIsLeftAsItIs() {
        String text = "naïve ünïcödé € 日本 \\u001B `code` | quotes 'x' \"y\"";
        assertThat(Printable.escape(text)).isSameAs(text);
        assertThat(Printable.escape(null)).isEqualTo("null");
    }

    @Test
    void outputLinesKeepTheirNewlinesOnly() {
        assertThat(Printable.escapeLines("one\ntwo\u001B]0;x\u0007\r\n")).isEqualTo("one\ntwo\\u001B]0;x\\u0007\\u000D\n");
    }
}

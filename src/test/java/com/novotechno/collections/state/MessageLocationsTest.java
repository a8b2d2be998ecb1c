package com.novotechno.collections.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageLocationsTest {

    @Test
    void everyRecordedIdLeadsToItsOffsetThroughManyGrowths() {
        MessageLocations locations = new MessageLocations();
        int messages = 200_000; // the table starts at 4,096 slots: it grows six times
        for (int i = 0; i < messages; i++) {
            locations.add("m-" + i, 100L * i);
        }
        assertThat(locations.size()).isEqualTo(messages);
        for (int i = 0; i < messages; i++) {
            assertThat(locations.candidates("m-" + i)).as("m-%d", i).contains(100L * i);
        }
    }

    @Test
    void anIdNeverRecordedCostsNoReadOfTheLog() {
        MessageLocations locations = new MessageLocations();
        for (int i = 0; i < 100_000; i++) {
            locations.add("m-" + i, i);
        }
        // A 64-bit digest: a stranger's read of the log is a one in 2^64 event, and the read rejects it anyway.
        long strays = java.util.stream.IntStream.range(0, 100_000)
                .filter(i -> locations.candidates("other-" + i).length > 0).count();
        assertThat(strays).isZero();
    }

    @Test
    void theSameIdTwiceKeepsBothLocationsForTheLogToTellApart() {
        // The store never adds an id twice; a digest collision looks the same, and both lines must stay findable.
        MessageLocations locations = new MessageLocations();
        locations.add("a", 0);
        locations.add("a", 500);
        assertThat(locations.candidates("a")).containsExactlyInAnyOrder(0L, 500L);
    }
}

package com.novotechno.collections.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.novotechno.collections.domain.Change;
import com.novotechno.collections.domain.InvoiceKey;
import com.novotechno.collections.storage.Sha256;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PipelinedVisitorTest {

    private static final int ENTRIES = PipelinedVisitor.BATCH * (PipelinedVisitor.BATCHES_IN_FLIGHT + 3) + 7;

    @Test
    void visitsEveryEntryInOrderWithItsOffsetBeforeFinishReturns() throws IOException {
        List<Long> seen = new ArrayList<>(); // no lock: finish() must publish what the worker did
        PipelinedVisitor pipelined = new PipelinedVisitor(new LogEntryVisitor() {
            @Override
            public void visit(LogEntry entry) {
                throw new AssertionError();
            }

            @Override
            public void visit(LogEntry entry, long offset) {
                assertThat(offset).isEqualTo(entry.seq() * 100);
                seen.add(entry.seq());
            }
        });
        for (long seq = 1; seq <= ENTRIES; seq++) {
            pipelined.visit(entry(seq), seq * 100);
        }
        pipelined.finish();
        pipelined.close();
        assertThat(seen).hasSize(ENTRIES);
        for (int i = 0; i < ENTRIES; i++) {
            assertThat(seen.get(i)).isEqualTo(i + 1L);
        }
    }

    @Test
    void theVisitorsFailureReachesTheScannerAndNothingAfterItIsVisited() throws IOException {
        IllegalStateException unappliable = new IllegalStateException("entry 300 cannot apply");
        List<Long> seen = new ArrayList<>();
        PipelinedVisitor pipelined = new PipelinedVisitor(new LogEntryVisitor() {
            @Override
            public void visit(LogEntry entry) {
                throw new AssertionError();
            }

            @Override
            public void visit(LogEntry entry, long offset) {
                if (entry.seq() == 300) {
                    throw unappliable;
                }
                seen.add(entry.seq());
            }
        });
        assertThatThrownBy(() -> {
            try (pipelined) {
                for (long seq = 1; seq <= ENTRIES; seq++) {
                    pipelined.visit(entry(seq), seq);
                }
                pipelined.finish();
            }
        }).isSameAs(unappliable);
        assertThat(seen).hasSize(299).last().isEqualTo(299L);
    }

    @Test
    @Timeout(20)
    void aFailureOnTheLastEntryAfterTheScanEndedIsThrownByFinish() throws IOException {
        IllegalStateException unappliable = new IllegalStateException("the last entry cannot apply");
        java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
        PipelinedVisitor pipelined = new PipelinedVisitor(new LogEntryVisitor() {
            @Override
            public void visit(LogEntry entry) {
                throw new AssertionError();
            }

            @Override
            public void visit(LogEntry entry, long offset) throws IOException {
                if (entry.seq() == ENTRIES) {
                    try {
                        ended.await(); // the scanner has handed over its end by now
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    throw unappliable;
                }
            }
        });
        for (long seq = 1; seq <= ENTRIES; seq++) {
            pipelined.visit(entry(seq), seq);
        }
        Thread releaser = new Thread(ended::countDown);
        releaser.start();
        assertThatThrownBy(pipelined::finish).isSameAs(unappliable);
        pipelined.close();
    }

    @Test
    void aScanThatGaveUpStopsTheWorkerWithoutWaitingForTheRest() throws IOException {
        PipelinedVisitor pipelined = new PipelinedVisitor(entry -> { });
        for (long seq = 1; seq <= 10; seq++) {
            pipelined.visit(entry(seq), seq);
        }
        pipelined.close(); // as after a scan that threw: returns, the worker ended
    }

    private static LogEntry entry(long seq) {
        return new LogEntry(seq, Instant.EPOCH, "m" + seq, Sha256.ZERO, new InvoiceKey("c", "i"), new Change.Escalated("r"),
                Sha256.ZERO, Sha256.ZERO);
    }
}

package com.novotechno.collections.storage;

import java.nio.file.Path;

/**
 * Where everything lives in the data folder (CONTRACT section 2), and the MAC key its files carry
 * ({@link Keying#NONE} until the store, or a command, has read the folder's key file).
 */
public record DataLayout(Path root, Keying keying) {

    public DataLayout {
        root = root.toAbsolutePath().normalize();
        java.util.Objects.requireNonNull(keying);
    }

    public DataLayout(Path root) {
        this(root, Keying.NONE);
    }

    /** The same folder, its files sealed and checked under {@code keying}. */
    public DataLayout withKeying(Keying keying) {
        return new DataLayout(root, keying);
    }

    public Path inbox() {
        return root.resolve("inbox");
    }

    public Path processed() {
        return root.resolve("processed");
    }

    public Path rejected() {
        return root.resolve("rejected");
    }

    public Path stateRoot() {
        return root.resolve("state");
    }

    public Path openState() {
        return stateRoot().resolve("open");
    }

    public Path archiveState() {
        return stateRoot().resolve("archive");
    }

    /** Payments held for invoices not yet issued, or to be refunded (CONTRACT section 1). */
    public Path unappliedState() {
        return stateRoot().resolve("unapplied");
    }

    public Path eventLog() {
        return root.resolve("events.log");
    }

    public Path ledger() {
        return root.resolve("ledger.qmd");
    }

    /** The closed periods' ledger files, ledger/paid-YYYY-MM.qmd, each written once when its period ended. */
    public Path ledgerPeriods() {
        return root.resolve("ledger");
    }

    public Path outbox() {
        return root.resolve("outbox");
    }

    /** Not in the contract's list: reconciliation alerts the running service raised, one JSON file each. */
    public Path alerts() {
        return root.resolve("alerts");
    }

    /** Not in the contract's list: per-client keys that seal personal data in the log (crypto-shredding). */
    public Path keys() {
        return root.resolve("keys");
    }

    /** Not in the contract's list: the embedded broker's journal, bindings, paging and large messages. */
    public Path broker() {
        return root.resolve("broker");
    }

    /**
     * Format 1's on-disk message_id index, one file per message: format 2 keeps it in memory, built
     * from the log, and removes this folder when it migrates a data folder.
     */
    public Path legacyMessageIndex() {
        return root.resolve("index");
    }

    /** Not in the contract's list: which format the data folder is written in (see DataFormat). */
    public Path format() {
        return root.resolve("format.json");
    }

    /** Present while a rebuild runs: its derived files are not durable until it ends. */
    public Path rebuildMarker() {
        return root.resolve("rebuild.inprogress");
    }

    /** The book, the message locations and the log position a start would otherwise rebuild from the whole log. */
    public Path snapshot() {
        return root.resolve("snapshot.bin");
    }

    /** Not in the contract's list: how far the state files are known to reflect the log. */
    public Path checkpoint() {
        return root.resolve("checkpoint.json");
    }
}

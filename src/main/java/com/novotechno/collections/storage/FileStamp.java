package com.novotechno.collections.storage;

import java.util.Objects;

/**
 * What tells that a file changed without reading it: its size, its last modification and its identity
 * (the inode, which an atomic replacement changes). A reader that keeps what it read of a file reads it
 * again once its stamp differs.
 */
public record FileStamp(long size, long modifiedNanos, Object identity) {

    public FileStamp {
        Objects.requireNonNull(identity);
        if (size < 0) {
            throw new IllegalArgumentException("size " + size);
        }
    }
}

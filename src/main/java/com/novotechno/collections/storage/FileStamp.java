package com.novotechno.collections.storage;

import java.util.Objects;

/**
 * What tells that a file changed without reading it: its size, its last modification, its identity
 * (the inode, which an atomic replacement changes) and its status change time (ctime: any write or
 * {@code touch} moves it, and no user can set it back, as {@code touch -r} sets the modification time
 * back after an edit in place). A reader that keeps what it read of a file reads it again once its
 * stamp differs.
 */
public record FileStamp(long size, long modifiedNanos, long changedNanos, Object identity) {

    public FileStamp {
        Objects.requireNonNull(identity);
        if (size < 0) {
            throw new IllegalArgumentException("size " + size);
        }
    }
}

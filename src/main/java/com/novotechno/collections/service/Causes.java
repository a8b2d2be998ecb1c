package com.novotechno.collections.service;

/** Reading failures for the operator. */
final class Causes {

    private Causes() {
    }

    /** The innermost message, where the operating system's reason ("No space left on device") is. */
    static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}

package com.novotechno.collections.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a test of the running service extends: a data folder of its own, and the service the test
 * starts on it, stopped after the test whatever happened (a test that stops it itself sets it null).
 */
public abstract class ServiceTestSupport {

    @TempDir
    protected Path data;

    protected RunningService running;

    @AfterEach
    void stopTheService() throws Exception {
        if (running != null) {
            running.close();
        }
    }
}

package com.novotechno.collections.cli;

import com.novotechno.collections.config.Settings;
import com.novotechno.collections.service.BrokerPortTaken;
import com.novotechno.collections.service.CollectionsService;
import com.novotechno.collections.service.ServiceSettings;
import com.novotechno.collections.storage.FileSystemStorage;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/**
 * The service. It runs until the process is told to stop (SIGTERM, or Ctrl-C): the shutdown hook
 * then stops the consumers, lets messages in flight finish, flushes the ledger, releases the
 * folder's lock and stops the broker, and the process exits 0; 1 if the stop failed, or if the
 * service stopped itself because its store failed.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = {
        "Runs the service (routes, embedded broker, timers) until SIGTERM or Ctrl-C.",
        "It takes messages from the inbox and the queue collections.invoices, reconciles the ledger and runs"
                + " dunning on their timers, and starts the embedded broker unless collections.broker.url names another."
                + " It makes the data folder if there is none. On SIGTERM or Ctrl-C it finishes the messages in flight"
                + " (up to collections.shutdown-timeout), flushes the ledger and stops. It logs to standard error."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped cleanly by SIGTERM or Ctrl-C",
                "1:the stop failed, the store failed (the service stopped itself; the next start recovers), the folder is"
                        + " in use by another process, or a start failed (a port taken, a rebuild unfinished)",
                "2:a usage error: a bad configuration value"})
final class RunCommand extends DataDirCommand {

    @Override
    public Integer call() throws Exception {
        Settings settings = settings();
        ServiceSettings serviceSettings = serviceSettings(settings);
        PrintWriter err = err();
        refuseWhereARestoreWasCutOff(settings.dataDir());
        // After the service stopped itself because its store failed, exit: the hook below then sets status 1.
        CollectionsService service;
        try {
            service = CollectionsService.start(settings, serviceSettings, new FileSystemStorage(), err::println,
                    () -> System.exit(CollectionsCommand.EXIT_FAULT));
        } catch (BrokerPortTaken e) {
            err.println("run: " + e.getMessage()); // the line says it all: no stack trace, no "error:"
            return CollectionsCommand.EXIT_FAULT;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(service, err), "collections-stop"));
        out().println("run: the service is running on " + settings.dataDir().toAbsolutePath()
                + "; stop it with SIGTERM or Ctrl-C");
        new CountDownLatch(1).await(); // the shutdown hook ends the process
        return CollectionsCommand.EXIT_OK;
    }

    /**
     * Runs in the shutdown hook. It ends the process itself with halt, because the exit status of
     * a JVM stopped by a signal is otherwise 128 + the signal, whatever happened here.
     */
    private static void stop(CollectionsService service, PrintWriter err) {
        int status = CollectionsCommand.EXIT_OK;
        try {
            service.close();
            if (service.stoppedByFailure()) {
                err.println("run: stopped because the store failed; start it again to recover");
                status = CollectionsCommand.EXIT_FAULT;
            } else {
                err.println("run: stopped cleanly");
            }
        } catch (Exception | Error e) {
            err.println("run: the stop failed, the next start recovers: " + e);
            status = CollectionsCommand.EXIT_FAULT;
        }
        err.flush();
        System.out.flush();
        Runtime.getRuntime().halt(status);
    }
}

package com.novotechno.collections.service.hostile;

import com.novotechno.collections.storage.Sha256;
import com.novotechno.collections.testing.DataFolders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a message may change, as it stood at one moment: the SHA-256 of events.log, ledger.qmd and
 * every file under state/, keys/ and ledger/, and the log's lines (to tell one client's from the rest).
 */
record FolderState(Map<String, String> digests, List<String> logLines) {

    private static final List<String> FILES = List.of("events.log", "ledger.qmd");
    private static final List<String> FOLDERS = List.of("state", "keys", "ledger");

    static FolderState of(Path data) throws IOException {
        Map<String, String> digests = new TreeMap<>();
        for (String file : FILES) {
            Path path = data.resolve(file);
            digests.put(file, Files.exists(path) ? Sha256.hex(Files.readAllBytes(path)) : "absent");
        }
        for (String folder : FOLDERS) {
            for (Path file : DataFolders.filesUnder(data.resolve(folder))) {
                digests.put(folder + "/" + file, Sha256.hex(Files.readAllBytes(data.resolve(folder).resolve(file))));
            }
        }
        return new FolderState(Map.copyOf(digests), Files.readAllLines(data.resolve("events.log")));
    }

    /** The files of one client: its state and held payments files (a folder of its name) and its keys. */
    Map<String, String> filesOf(String client) {
        return digests.entrySet().stream()
                .filter(entry -> entry.getKey().contains("/" + client + "/") || entry.getKey().startsWith("keys/" + client + "."))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    }

    /** The log lines of one client: client names are kept plain in the log (only personal data is sealed). */
    List<String> logLinesOf(String client) {
        String field = "\"client\":\"" + client + "\"";
        return logLines.stream().filter(line -> line.contains(field)).toList();
    }

    /** The files whose bytes differ from {@code other}'s, or that only one of the two has. */
    List<String> differences(FolderState other) {
        return java.util.stream.Stream.concat(digests.keySet().stream(), other.digests.keySet().stream()).distinct().sorted()
                .filter(file -> !java.util.Objects.equals(digests.get(file), other.digests.get(file))).toList();
    }
}

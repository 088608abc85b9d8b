package io.listenlog.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

/**
 * Run in a child JVM by {@link CloseOnShutdownTest}: logs listens into a file and returns from {@code main} without
 * closing the logger, whose writer would otherwise wait minutes before writing.
 *
 * <p>Arguments: the output file, {@code true|false} for {@code closeOnShutdown}, how many listens.
 */
public final class ShutdownHookMain {

    private ShutdownHookMain() {
    }

    public static void main(String[] args) {
        Path out = Path.of(args[0]);
        ListenStore fileStore = batch -> {
            List<String> lines = batch.stream().map(e -> Long.toString(e.sourceId())).toList();
            try {
                Files.write(out, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        ListenLogger logger = ListenLogger.builder()
                .store(fileStore)
                .anonymizer(LoggerFixture.ANONYMIZER)
                .maxBatchDelay(Duration.ofMinutes(10))
                .closeOnShutdown(Boolean.parseBoolean(args[1]))
                .build();
        int listens = Integer.parseInt(args[2]);
        for (int i = 1; i <= listens; i++) {
            logger.log(ListenRequest.of(i, "192.0.2.1", null, null));
        }
    }
}

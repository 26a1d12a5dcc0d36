package dev.cacheaside.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** test-app in its own JVM, with or without the agent; everything it prints goes to a log file. */
final class ShopProcess implements AutoCloseable {

    private static final String LISTENING = "Shop listening on port ";

    private final Process process;
    private final PrintWriter log;
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final List<String> agentLines = new ArrayList<>();

    private ShopProcess(Process process, Path logFile) throws IOException {
        this.process = process;
        this.log = new PrintWriter(logFile.toFile(), StandardCharsets.UTF_8);
        follow(process.getInputStream());
        follow(process.getErrorStream());
    }

    /** Starts test-app; with an agent jar, attached at start with the given config. */
    static ShopProcess start(Path appJar, Path agentJar, Path config, String redisUri, List<String> agentOptions,
                             Path logFile)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (agentJar != null) {
            command.add("-javaagent:" + agentJar.toAbsolutePath() + "=" + config.toAbsolutePath());
            command.add("-Dcache-aside.stats-interval=1s");
            command.addAll(agentOptions);
        }
        command.addAll(List.of("-jar", appJar.toAbsolutePath().toString(), "--port", "0"));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("CACHE_ASIDE_REDIS_URI", redisUri);
        ShopProcess shop = new ShopProcess(builder.start(), logFile);
        try {
            shop.port.get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            shop.close();
            throw new IllegalStateException("test-app did not start within 60 s; see " + logFile);
        }
        return shop;
    }

    int port() {
        return port.join();
    }

    /** The agent's log lines so far. */
    List<String> agentLines() {
        synchronized (agentLines) {
            return new ArrayList<>(agentLines);
        }
    }

    private void follow(InputStream stream) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
        Thread thread = new Thread(() -> {
            try {
                for (String line; (line = reader.readLine()) != null; ) {
                    accept(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "shop-output");
        thread.setDaemon(true);
        thread.start();
    }

    private void accept(String line) {
        synchronized (log) {
            log.println(line);
            log.flush();
        }
        if (line.startsWith(LISTENING)) {
            port.complete(Integer.parseInt(line.substring(LISTENING.length()).trim()));
        } else if (line.startsWith("[cache-aside]")) {
            synchronized (agentLines) {
                agentLines.add(line);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        synchronized (log) {
            log.close();
        }
    }
}

package dev.cacheaside.agent.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code java -jar cache-aside-agent.jar ...} and captures what it prints. */
final class AgentCli {

    record Result(int exitCode, String stdout, String stderr) {
        String all() {
            return stdout + stderr;
        }
    }

    private AgentCli() {
    }

    static Result run(Path jdk, String... arguments) {
        return runWith(jdk, List.of(), arguments);
    }

    /** As {@link #run}, the command's JVM started with {@code jvmOptions}. */
    static Result runWith(Path jdk, List<String> jvmOptions, String... arguments) {
        List<String> command = new ArrayList<>(List.of(jdk.resolve("bin/java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", ForkedApp.AGENT_JAR.toAbsolutePath().toString()));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).start();
            byte[] out = process.getInputStream().readAllBytes();
            byte[] err = process.getErrorStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                    new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

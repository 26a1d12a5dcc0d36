package com.example.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Runs {@link FirstCall} in fresh JVMs with the agent and reports the medians: what a first call costs over the method's own. */
final class FirstCallRuns {

    private static final String SETTLE_MILLIS = "3000";

    private FirstCallRuns() {
    }

    static void run(String[] jvmArgs, int jvms) throws Exception {
        double[] plain = new double[jvms];
        double[] first = new double[jvms];
        double[] hit = new double[jvms];
        for (int i = 0; i < jvms; i++) {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(Arrays.asList(jvmArgs));
            command.addAll(List.of("-cp", Path.of(FirstCall.class.getProtectionDomain().getCodeSource().getLocation()
                    .toURI()).toString(), FirstCall.class.getName(), SETTLE_MILLIS));
            Path errors = java.nio.file.Files.createTempFile("first-call", ".log");
            Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            String result = null;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith("FIRST-CALL ")) {
                        result = line;
                    }
                }
            }
            if (process.waitFor() != 0 || result == null) {
                List<String> log = java.nio.file.Files.readAllLines(errors);
                throw new IllegalStateException("FirstCall failed with exit code " + process.exitValue() + ":\n"
                        + String.join("\n", log.subList(Math.max(0, log.size() - 20), log.size())));
            }
            java.nio.file.Files.delete(errors);
            String[] parts = result.split(" ");
            plain[i] = Double.parseDouble(parts[1]);
            first[i] = Double.parseDouble(parts[2]);
            hit[i] = Double.parseDouble(parts[3]);
        }
        System.out.println();
        System.out.println("first call of a 50 ms method in a fresh JVM with the agent, " + jvms + " JVMs (ms): median [min .. max]");
        print("without a rule", plain);
        print("with a rule (a miss)", first);
        print("then a hit", hit);
        double[] extra = new double[jvms];
        for (int i = 0; i < jvms; i++) {
            extra[i] = first[i] - plain[i];
        }
        print("first call's extra", extra);
    }

    private static void print(String name, double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "  %-24s %8.2f  [%6.2f .. %6.2f]%n", name, sorted[sorted.length / 2], sorted[0],
                sorted[sorted.length - 1]);
    }
}
